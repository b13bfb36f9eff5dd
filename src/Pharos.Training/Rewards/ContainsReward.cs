// 1 when the completion contains the record's `column` value (a glossary term, an answer), else 0; abstains without it.
namespace Pharos.Training.Rewards;

public sealed class ContainsReward(string column = "answer") : IRewardFunction
{
    public string Name => "contains";

    public double? Score(RewardInput input) => input.Column(column) is { Length: > 0 } term
        ? (input.Completion.Contains(term, StringComparison.Ordinal) ? 1 : 0) : null;
}
