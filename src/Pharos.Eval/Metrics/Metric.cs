// Base of BLEU, chrF and TER: per-segment sufficient statistics, summed for corpus scores and resampled by the significance tests.
namespace Pharos.Eval.Metrics;

public abstract class Metric
{
    /// <summary>Segments per parallel chunk; small corpora stay on one thread.</summary>
    const int ChunkSize = 1024;

    /// <summary>The score's name as sacrebleu prints it (BLEU, chrF2, chrF2++, TER).</summary>
    public abstract string Name { get; }

    /// <summary>Number of statistics per segment.</summary>
    public abstract int StatCount { get; }

    /// <summary>Lower is better (TER); the significance tests only use absolute differences, reports use this.</summary>
    public virtual bool LowerIsBetter => false;

    /// <summary>State one thread needs to score segments (buffers, vocabulary); never shared between threads.</summary>
    internal abstract SegmentScorer CreateScorer();

    /// <summary>The score from summed statistics. `numpyFloat32` reproduces sacrebleu's bootstrap, which sums float32 arrays.</summary>
    public abstract MetricScore ScoreFromStatistics(ReadOnlySpan<double> totals, bool numpyFloat32 = false);

    public abstract MetricSignature Signature(int nrefs);

    /// <summary>Statistics of every segment, row-major [segment, stat]. `references[r][i]` is reference r of segment i.</summary>
    public double[] CorpusStatistics(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references)
    {
        CheckShapes(hypotheses, references);
        var n = hypotheses.Count;
        var width = StatCount;
        var stats = new double[n * width];
        var chunks = (n + ChunkSize - 1) / ChunkSize;
        void Run(int chunk)
        {
            var scorer = CreateScorer();
            var refs = new string[references.Count];
            var end = Math.Min(n, (chunk + 1) * ChunkSize);
            for (var i = chunk * ChunkSize; i < end; i++)
            {
                for (var r = 0; r < refs.Length; r++)
                    refs[r] = references[r][i];
                scorer.Score(hypotheses[i], refs, stats.AsSpan(i * width, width));
            }
        }
        if (chunks <= 1)
            Run(0);
        else
            Parallel.For(0, chunks, Run);
        return stats;
    }

    public MetricScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references) =>
        ScoreFromStatistics(Sum(CorpusStatistics(hypotheses, references), StatCount));

    public MetricScore SentenceScore(string hypothesis, IReadOnlyList<string> references)
    {
        var stats = new double[StatCount];
        CreateScorer().Score(hypothesis, [.. references], stats);
        return ScoreFromStatistics(stats);
    }

    /// <summary>Column sums in segment order (sacrebleu's sum_of_lists), so float statistics add up identically.</summary>
    public static double[] Sum(ReadOnlySpan<double> stats, int width)
    {
        var totals = new double[width];
        for (var i = 0; i < stats.Length; i += width)
            for (var k = 0; k < width; k++)
                totals[k] += stats[i + k];
        return totals;
    }

    static void CheckShapes(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references)
    {
        if (references.Count == 0)
            throw new ArgumentException("at least one reference stream is needed", nameof(references));
        foreach (var r in references)
            if (r.Count != hypotheses.Count)
                throw new ArgumentException($"a reference stream has {r.Count} segments, the hypotheses have {hypotheses.Count}", nameof(references));
    }
}

/// <summary>Computes one segment's statistics against its references.</summary>
internal abstract class SegmentScorer
{
    public abstract void Score(string hypothesis, string[] references, Span<double> stats);
}
