// A chrF / chrF++ result; the name carries β and one '+' per word n-gram order, as in sacrebleu (chrF2, chrF2++).
namespace Pharos.Eval.Metrics;

public sealed class ChrFScore(double score, int charOrder, int wordOrder, int beta)
    : MetricScore($"chrF{beta}" + new string('+', wordOrder), score)
{
    public int CharOrder { get; } = charOrder;
    public int WordOrder { get; } = wordOrder;
    public int Beta { get; } = beta;
}
