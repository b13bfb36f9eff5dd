// Per-thread worker of a metric: computes one segment's sufficient statistics against its references.
namespace Pharos.Eval.Metrics;

/// <summary>Computes one segment's statistics against its references.</summary>
internal abstract class SegmentScorer
{
    public abstract void Score(string hypothesis, string[] references, Span<double> stats);
}
