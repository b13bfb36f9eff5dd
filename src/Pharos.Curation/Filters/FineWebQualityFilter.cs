// FineWeb quality filter: share of lines ending in terminal punctuation, short lines, duplicated line characters, newline-per-word ratio.
using Pharos.Curation.Pipeline;
using Pharos.Curation.Text;

namespace Pharos.Curation.Filters;

public sealed class FineWebQualityFilter(
    double linePunctThr = 0.12,
    bool linePunctExcludeZero = false,
    double shortLineThr = 0.67,
    int shortLineLength = 30,
    double charDuplicatesRatio = 0.01,
    double newLineRatio = 0.3,
    IWordTokenizer? tokenizer = null) : DocumentFilter
{
    readonly IWordTokenizer _tokenizer = tokenizer ?? WordTokenizers.For("en");

    public override string Name => "fineweb_quality";

    /// <summary>FineWeb2's settings: thresholds from the language table; -1 (or unset) turns a check off.</summary>
    public static FineWebQualityFilter From(LanguageThresholds t, IWordTokenizer tokenizer) => new(
        t.LinePunctThr ?? -1, false, t.ShortLineThr ?? -1, t.ShortLineLength ?? 30, t.CharDuplicatesRatio ?? -1, t.NewLineRatio ?? -1, tokenizer);

    protected internal override Decision Decide(Document doc)
    {
        var text = doc.Text;
        // datatrove: text.split("\n") minus blank lines (strip() == "").
        var lines = text.Split('\n').Where(l => !PyText.Strip(l).IsEmpty).ToList();
        if (lines.Count == 0)
            return Decision.Drop("empty");

        if (linePunctThr >= 0)
        {
            var ratio = (double)lines.Count(l => Punctuation.EndsWithTerminal(l)) / lines.Count;
            if (ratio < linePunctThr && !(ratio == 0 && linePunctExcludeZero))
                return Decision.Drop("line_punct_ratio");
        }
        if (shortLineThr >= 0)
        {
            var ratio = (double)lines.Count(l => CodePoints.Count(l) <= shortLineLength) / lines.Count;
            if (ratio > shortLineThr)
                return Decision.Drop("short_line_ratio");
        }
        if (charDuplicatesRatio >= 0)
        {
            // Denominator: the text without its newlines, as datatrove's len(doc.text.replace("\n", "")).
            var (_, dupChars) = GopherRepetitionFilter.FindDuplicates(lines);
            double chars = CodePoints.Count(text) - text.AsSpan().Count('\n');
            if (chars > 0 && dupChars / chars > charDuplicatesRatio)
                return Decision.Drop("char_dup_ratio");
        }
        if (newLineRatio >= 0)
        {
            var words = DocumentWords.Of(text, _tokenizer);
            var newLines = text.AsSpan().Count('\n');
            if (words.Count == 0 || (double)newLines / words.Count > newLineRatio)
                return Decision.Drop("list_ratio");
        }
        return Decision.Kept;
    }
}
