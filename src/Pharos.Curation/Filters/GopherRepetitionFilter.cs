// Gopher repetition filter (Rae et al. 2021, table A1): duplicate lines/paragraphs and repeated word n-grams, as datatrove defines them.
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Text;

namespace Pharos.Curation.Filters;

public sealed partial class GopherRepetitionFilter(
    double dupLineFrac = 0.3,
    double dupParaFrac = 0.3,
    double dupLineCharFrac = 0.2,
    double dupParaCharFrac = 0.2,
    IReadOnlyDictionary<int, double>? topNGrams = null,
    IReadOnlyDictionary<int, double>? dupNGrams = null,
    IWordTokenizer? tokenizer = null) : DocumentFilter
{
    readonly KeyValuePair<int, double>[] _top = [.. (topNGrams ?? new Dictionary<int, double> { [2] = 0.2, [3] = 0.18, [4] = 0.16 }).OrderBy(p => p.Key)];
    readonly KeyValuePair<int, double>[] _dup = [.. (dupNGrams ?? new Dictionary<int, double> { [5] = 0.15, [6] = 0.14, [7] = 0.13, [8] = 0.12, [9] = 0.11, [10] = 0.10 }).OrderBy(p => p.Key)];

    readonly IWordTokenizer _tokenizer = tokenizer ?? WordTokenizers.For("en");

    public override string Name => "gopher_repetition";

    public static GopherRepetitionFilter From(LanguageThresholds t, IWordTokenizer tokenizer) => new(
        t.DupLineFrac ?? -1, t.DupParaFrac ?? -1, t.DupLineCharFrac ?? -1, t.DupParaCharFrac ?? -1, t.TopNGrams, t.DupNGrams, tokenizer);

    [GeneratedRegex("\n{2,}")] private static partial Regex Paragraphs();
    [GeneratedRegex("\n+")] private static partial Regex Lines();

    protected internal override Decision Decide(Document doc)
    {
        var text = doc.Text;
        // datatrove divides by len(text) and fails on empty text; an empty document is dropped with its own reason.
        double length = CodePoints.Count(text);
        if (length == 0)
            return Decision.Drop("empty_doc");

        var paragraphs = Paragraphs().Split(text.Trim());
        var (paraDups, paraChars) = FindDuplicates(paragraphs);
        if (dupParaFrac > 0 && (double)paraDups / paragraphs.Length > dupParaFrac) return Decision.Drop("dup_para_frac");
        if (dupParaCharFrac > 0 && paraChars / length > dupParaCharFrac) return Decision.Drop("dup_para_char_frac");

        var lines = Lines().Split(text);
        var (lineDups, lineChars) = FindDuplicates(lines);
        if (dupLineFrac > 0 && (double)lineDups / lines.Length > dupLineFrac) return Decision.Drop("dup_line_frac");
        if (dupLineCharFrac > 0 && lineChars / length > dupLineCharFrac) return Decision.Drop("dup_line_char_frac");

        var ranges = DocumentWords.Of(text, _tokenizer);
        var grams = new WordNGrams(text, ranges);
        foreach (var (n, frac) in _top)
            if (grams.Count >= n && TopDuplicate(grams, n) / length > frac)
                return Decision.Drop($"top_{n}_gram");
        foreach (var (n, frac) in _dup)
            if (AllDuplicates(grams, n) / length > frac)
                return Decision.Drop($"duplicated_{n}_n_grams");
        return Decision.Kept;
    }

    /// <summary>datatrove's find_duplicates: elements seen before, and their code points.</summary>
    internal static (int Elements, int Chars) FindDuplicates(IEnumerable<string> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int elements = 0, chars = 0;
        foreach (var item in items)
            if (!seen.Add(item))
            {
                elements++;
                chars += CodePoints.Count(item);
            }
        return (elements, chars);
    }

    // datatrove's find_top_duplicate: the most frequent " "-joined n-gram (first seen wins a tie, as Counter.most_common(1)),
    // its length times its count.
    static int TopDuplicate(WordNGrams grams, int n)
    {
        var counts = new Dictionary<int, int>(grams.Comparer(n, spaced: true));
        int best = -1, bestCount = 0;
        for (var i = 0; i + n <= grams.Count; i++)
        {
            // One hash of the n-gram per position; an existing entry keeps its first occurrence as key.
            var c = ++CollectionsMarshal.GetValueRefOrAddDefault(counts, i, out _);
            if (c > bestCount) { bestCount = c; best = i; }
        }
        // Enumeration follows insertion (nothing is removed), and each entry keeps its first occurrence as key.
        foreach (var (first, count) in counts)
            if (count == bestCount) { best = first; break; }
        return grams.CodePointLength(best, n, spaced: true) * bestCount;
    }

    // datatrove's find_all_duplicate: ""-joined n-grams; a repeat adds its length and skips past it (no overlapping counts).
    static int AllDuplicates(WordNGrams grams, int n)
    {
        var unique = new HashSet<int>(grams.Comparer(n, spaced: false));
        int repeated = 0, i = 0;
        while (i < grams.Count - n + 1)
        {
            if (!unique.Add(i))
            {
                repeated += grams.CodePointLength(i, n, spaced: false);
                i += n;
            }
            else
                i++;
        }
        return repeated;
    }
}
