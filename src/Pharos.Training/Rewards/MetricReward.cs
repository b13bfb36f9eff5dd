// Sentence-level chrF or BLEU (sacrebleu-exact, Pharos.Eval.Metrics) of the completion against the record's reference
// column, scaled to [0, 1]; abstains when the record has no reference.
using Pharos.Eval.Metrics;

namespace Pharos.Training.Rewards;

public sealed class MetricReward(string name, Metric metric, string column = "reference") : IRewardFunction
{
    public string Name => name;

    public double? Score(RewardInput input) => input.Column(column) is { } reference
        ? metric.SentenceScore(input.Completion.Trim(), [reference]).Score / 100.0 : null;
}
