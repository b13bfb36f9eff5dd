// A TER result with its summed edits and (average) reference length, as sacrebleu's TERScore.
namespace Pharos.Eval.Metrics;

public sealed class TerScore(double score, double numEdits, double refLength) : MetricScore("TER", score)
{
    public long NumEdits { get; } = (long)numEdits;
    public double RefLength { get; } = refLength;
}
