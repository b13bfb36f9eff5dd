// Corpus BLEU, chrF and chrF++ per language pair (sacrebleu-exact), and their macro average over pairs.
using Pharos.Eval.Metrics;

namespace Pharos.Eval.Benchmarks;

internal static class TranslationScores
{
    public const string Bleu = "BLEU", ChrF = "chrF2", ChrFpp = "chrF2++";

    static readonly ChrF ChrFMetric = new(), ChrFppMetric = new(wordOrder: 2);

    /// <summary>Corpus scores of one pair's hypotheses (failed items as empty hypotheses, as a missing translation scores).</summary>
    public static Dictionary<string, double> Corpus(LanguagePair pair, IReadOnlyList<string> hypotheses, IReadOnlyList<string> references)
    {
        IReadOnlyList<IReadOnlyList<string>> refs = [references];
        return new Dictionary<string, double>
        {
            [Bleu] = new Metrics.Bleu(pair.BleuTokenizer).CorpusScore(hypotheses, refs).Score,
            [ChrF] = ChrFMetric.CorpusScore(hypotheses, refs).Score,
            [ChrFpp] = ChrFppMetric.CorpusScore(hypotheses, refs).Score,
        };
    }

    /// <summary>Sentence chrF++ of one item, for the per-item records.</summary>
    public static double Sentence(string hypothesis, string reference) => ChrFppMetric.SentenceScore(hypothesis, [reference]).Score;

    /// <summary>Unweighted mean over pairs of every column present in all of them.</summary>
    public static Dictionary<string, double> MacroAverage(IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> byPair) =>
        byPair.Count == 0 ? [] :
        byPair.Values.First().Keys.Where(k => k != "n" && byPair.Values.All(r => r.ContainsKey(k)))
            .ToDictionary(k => k, k => byPair.Values.Average(r => r[k]));
}
