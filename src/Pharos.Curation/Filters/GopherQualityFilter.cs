// Gopher quality filter (Rae et al. 2021): word counts, mean word length, symbol ratios, bullet/ellipsis lines, alphabetic words, stopwords.
using System.Collections.Frozen;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Text;

namespace Pharos.Curation.Filters;

public sealed class GopherQualityFilter(
    int minDocWords = 50,
    int maxDocWords = 100_000,
    double minAvgWordLength = 3,
    double maxAvgWordLength = 10,
    double maxSymbolWordRatio = 0.1,
    double maxBulletLinesRatio = 0.9,
    double maxEllipsisLinesRatio = 0.3,
    double maxNonAlphaWordsRatio = 0.8,
    int minStopWords = 2,
    IEnumerable<string>? stopWords = null,
    IWordTokenizer? tokenizer = null) : DocumentFilter
{
    readonly IWordTokenizer _tokenizer = tokenizer ?? WordTokenizers.For("en");
    readonly FrozenSet<string> _stopWords = (stopWords ?? ["the", "be", "to", "of", "and", "that", "have", "with"]).ToFrozenSet(StringComparer.Ordinal);

    public override string Name => "gopher_quality";

    public static GopherQualityFilter From(LanguageThresholds t, IWordTokenizer tokenizer) => new(
        t.MinDocWords ?? -1, t.MaxDocWords ?? -1, t.MinAvgWordLength ?? -1, t.MaxAvgWordLength ?? -1, t.MaxSymbolWordRatio ?? -1,
        t.MaxBulletLinesRatio ?? -1, t.MaxEllipsisLinesRatio ?? -1, t.MaxNonAlphaWordsRatio ?? -1, t.MinStopWords ?? -1, t.Stopwords ?? [], tokenizer);

    protected internal override Decision Decide(Document doc)
    {
        var text = doc.Text;
        var ranges = DocumentWords.Of(text, _tokenizer);
        var nWords = ranges.Count;
        if (nWords == 0)
            return Decision.Drop("gopher_short_doc");

        // "Non-symbol" words have at least one character outside datatrove's punctuation set; counts and lengths use them.
        int nonSymbol = 0, alphaWords = 0;
        long nonSymbolChars = 0;
        foreach (var (start, length) in ranges)
        {
            var w = text.AsSpan(start, length);
            if (!Punctuation.IsSymbolOnly(w))
            {
                nonSymbol++;
                nonSymbolChars += CodePoints.Count(w);
            }
            if (HasAlpha(w))
                alphaWords++;
        }
        if (minDocWords > 0 && nonSymbol < minDocWords) return Decision.Drop("gopher_short_doc");
        if (maxDocWords > 0 && nonSymbol > maxDocWords) return Decision.Drop("gopher_long_doc");

        var avg = nonSymbol == 0 ? double.NaN : (double)nonSymbolChars / nonSymbol;
        if (minAvgWordLength > 0 && avg < minAvgWordLength) return Decision.Drop("gopher_below_avg_threshold");
        if (maxAvgWordLength > 0 && avg > maxAvgWordLength) return Decision.Drop("gopher_above_avg_threshold");

        // Ratios below divide by all words (symbols included), as datatrove does.
        if (maxSymbolWordRatio > 0 && (double)Count(text, "#") / nWords > maxSymbolWordRatio)
            return Decision.Drop("gopher_too_many_hashes");
        if (maxSymbolWordRatio > 0 && (double)(Count(text, "...") + Count(text, "…")) / nWords > maxSymbolWordRatio)
            return Decision.Drop("gopher_too_many_ellipsis");

        var lines = PyText.SplitLines(text);
        if (lines.Count > 0)
        {
            if (maxBulletLinesRatio > 0 && (double)lines.Count(IsBullet) / lines.Count > maxBulletLinesRatio)
                return Decision.Drop("gopher_too_many_bullets");
            if (maxEllipsisLinesRatio > 0 && (double)lines.Count(EndsWithEllipsis) / lines.Count > maxEllipsisLinesRatio)
                return Decision.Drop("gopher_too_many_end_ellipsis");
        }
        if (maxNonAlphaWordsRatio > 0 && (double)alphaWords / nWords < maxNonAlphaWordsRatio)
            return Decision.Drop("gopher_below_alpha_threshold");

        // An empty stopword list (a language without one) cannot be checked, so the check is skipped rather than failing every document.
        if (minStopWords > 0 && _stopWords.Count > 0)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            var lookup = _stopWords.GetAlternateLookup<ReadOnlySpan<char>>();
            foreach (var (start, length) in ranges)
                if (lookup.TryGetValue(text.AsSpan(start, length), out var stop) && found.Add(stop) && found.Count >= minStopWords)
                    break;
            if (found.Count < minStopWords)
                return Decision.Drop("gopher_enough_stop_words");
        }
        return Decision.Kept;
    }

    // Python's str.count: non-overlapping occurrences.
    static int Count(string text, string needle)
    {
        int n = 0, i = 0;
        while ((i = text.IndexOf(needle, i, StringComparison.Ordinal)) >= 0) { n++; i += needle.Length; }
        return n;
    }

    static bool IsBullet(string line)
    {
        var s = line.AsSpan().TrimStart();
        return s.StartsWith('•') || s.StartsWith('-');
    }

    static bool EndsWithEllipsis(string line)
    {
        var s = line.AsSpan().TrimEnd();
        return s.EndsWith("...") || s.EndsWith("…");
    }

    static bool HasAlpha(ReadOnlySpan<char> w)
    {
        for (var i = 0; i < w.Length; i++)
            if (PyText.IsAlpha(WordSplitter.CodePoint(w, i, out var width)))
                return true;
            else if (width == 2)
                i++;
        return false;
    }
}
