// A BLEU result with its n-gram counts, precisions and brevity penalty, formatted like sacrebleu's BLEUScore.
using System.Globalization;
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Metrics;

public sealed class BleuScore : MetricScore
{
    public BleuScore(double score, double[] counts, double[] totals, double[] precisions, double bp, long sysLen, long refLen)
        : base("BLEU", score)
    {
        Counts = counts;
        Totals = totals;
        Precisions = precisions;
        BrevityPenalty = bp;
        SysLen = sysLen;
        RefLen = refLen;
    }

    public IReadOnlyList<double> Counts { get; }
    public IReadOnlyList<double> Totals { get; }
    public IReadOnlyList<double> Precisions { get; }
    public double BrevityPenalty { get; }
    public long SysLen { get; }
    public long RefLen { get; }
    public double Ratio => RefLen != 0 ? (double)SysLen / RefLen : 0;

    public override string Verbose =>
        string.Join('/', Precisions.Select(p => PythonFormat.Fixed(p, 1)))
        + $" (BP = {PythonFormat.Fixed(BrevityPenalty, 3)} ratio = {PythonFormat.Fixed(Ratio, 3)} "
        + $"hyp_len = {SysLen.ToString(CultureInfo.InvariantCulture)} ref_len = {RefLen.ToString(CultureInfo.InvariantCulture)})";
}
