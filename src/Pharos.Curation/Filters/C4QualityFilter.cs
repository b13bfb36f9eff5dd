// C4 quality filter (Raffel et al. 2020, datatrove's C4QualityFilter with split_paragraph): line rules that rewrite the text, page rules that drop it.
using System.Text.RegularExpressions;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Text;

namespace Pharos.Curation.Filters;

public sealed partial class C4QualityFilter(
    bool removeCitations = true,
    bool filterNoTerminalPunct = true,
    int minNumSentences = 5,
    int minWordsPerLine = 3,
    int maxWordLength = 1000,
    bool filterLoremIpsum = true,
    bool filterJavascript = true,
    bool filterCurlyBracket = true,
    bool filterPolicy = true) : DocumentFilter
{
    static readonly string[] PolicySubstrings = ["terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"];
    static readonly string[] EndPunctuation = [".", "?", "!", "\"", "'"];

    public override string Name => "c4_quality";

    [GeneratedRegex(@"\[\d*]|\[edit]|\[citation needed]")] private static partial Regex Citation();

    protected internal override Decision Decide(Document doc)
    {
        var kept = new List<string>();
        var sentences = 0;
        // datatrove counts each kept line's sentences with the language's tokenizer (spaCy's sentencizer), English by default.
        var tokenizer = WordTokenizers.For(doc.LanguageLabel ?? "en");
        foreach (var raw in PyText.SplitLines(doc.Text))
        {
            var line = PyText.Strip(raw).ToString();
            var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (maxWordLength != -1 && words.Any(w => CodePoints.Count(w) > maxWordLength))
                continue;
            if (removeCitations)
                line = Citation().Replace(line, "");
            if (filterNoTerminalPunct && (!EndPunctuation.Any(p => line.EndsWith(p, StringComparison.Ordinal)) || line.EndsWith("...", StringComparison.Ordinal)))
                continue;
            if (words.Length < minWordsPerLine)
                continue;
            var lower = PyLower.Lower(line);
            if (filterLoremIpsum && lower.Contains("lorem ipsum", StringComparison.Ordinal))
                return Decision.Drop("lorem_ipsum");
            if (filterJavascript && lower.Contains("javascript", StringComparison.Ordinal))
                continue;
            if (filterCurlyBracket && line.Contains('{'))
                return Decision.Drop("curly_bracket");
            if (filterPolicy && PolicySubstrings.Any(p => lower.Contains(p, StringComparison.Ordinal)))
                continue;
            if (minNumSentences != -1)
                sentences += Math.Max(1, tokenizer.CountSentences(line));
            kept.Add(line);
        }
        if (sentences < minNumSentences)
            return Decision.Drop("too_few_sentences");
        doc.Text = string.Join('\n', kept).Trim();
        return Decision.Kept;
    }
}
