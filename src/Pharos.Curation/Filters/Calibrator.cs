// Derives a language's table from a sample of its documents: FineWeb2's LID cut max(0.3, min(0.9, median − std)) and quantile-matched filter thresholds.
using Pharos.Curation.Text;

namespace Pharos.Curation.Filters;

public sealed class Calibrator(double tailRate = 0.05)
{
    /// <summary>FineWeb2's per-language language_score threshold from that language's LID confidences.</summary>
    public static double LanguageScoreThreshold(IReadOnlyList<double> scores)
    {
        if (scores.Count == 0)
            return 0.3;
        var sorted = scores.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        var mean = sorted.Average();
        var std = Math.Sqrt(sorted.Sum(s => (s - mean) * (s - mean)) / sorted.Length); // population std, as numpy's default
        return Math.Max(0.3, Math.Min(0.9, median - std));
    }

    /// <summary>
    /// A table whose thresholds cut the same tail (<c>tailRate</c>, 5% by default) of this language's own distribution of each
    /// metric: the quantile-matching idea FineWeb2 used to move English thresholds to other languages, without an English reference.
    /// </summary>
    public LanguageThresholds Calibrate(string language, IReadOnlyList<string> texts, IReadOnlyList<double> scores)
    {
        var dupLine = new List<double>();
        var punct = new List<double>();
        var newLine = new List<double>();
        var avgLen = new List<double>();
        var alpha = new List<double>();
        var docFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokenizer = WordTokenizers.For(language);
        foreach (var text in texts)
        {
            var lines = text.Split('\n').Where(l => !PyText.Strip(l).IsEmpty).ToList();
            var spans = new List<(int Start, int Length)>();
            tokenizer.Tokenize(text, spans);
            var words = spans.ConvertAll(w => text.Substring(w.Start, w.Length));
            if (lines.Count == 0 || words.Count == 0)
                continue;
            dupLine.Add((double)GopherRepetitionFilter.FindDuplicates(lines).Elements / lines.Count);
            punct.Add((double)lines.Count(l => Punctuation.EndsWithTerminal(l)) / lines.Count);
            newLine.Add((double)text.Count(c => c == '\n') / words.Count);
            var content = words.Where(w => !Punctuation.IsSymbolOnly(w)).ToList();
            if (content.Count > 0)
                avgLen.Add(content.Average(w => CodePoints.Count(w)));
            alpha.Add((double)words.Count(w => w.Any(char.IsLetter)) / words.Count);
            foreach (var w in content.Select(w => w.ToLowerInvariant()).Distinct())
                docFrequency[w] = docFrequency.GetValueOrDefault(w) + 1;
        }
        return new LanguageThresholds
        {
            Language = language,
            LanguageScore = Math.Round(LanguageScoreThreshold(scores), 4),
            DupLineFrac = Round(Math.Max(0.3, Quantile(dupLine, 1 - tailRate))),
            LinePunctThr = Round(Math.Min(0.12, Quantile(punct, tailRate))),
            NewLineRatio = Round(Math.Max(0.3, Quantile(newLine, 1 - tailRate))),
            MinAvgWordLength = Round(Math.Min(3, Quantile(avgLen, tailRate / 5))),
            MaxAvgWordLength = Round(Math.Max(10, Quantile(avgLen, 1 - tailRate / 5))),
            MaxNonAlphaWordsRatio = Round(Math.Min(0.8, Quantile(alpha, tailRate))),
            // Stopwords: the words found in the most documents (function words in any language with enough text).
            Stopwords = [.. docFrequency.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(20).Select(p => p.Key)],
        };
    }

    static double Quantile(List<double> values, double q)
    {
        if (values.Count == 0)
            return double.NaN;
        var sorted = values.Order().ToArray();
        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo); // linear interpolation, numpy's default
    }

    static double? Round(double v) => double.IsNaN(v) ? null : Math.Round(v, 4);
}
