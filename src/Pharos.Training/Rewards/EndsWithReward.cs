// 1 when the trimmed completion ends with the record's `column` value (a final answer, a required closing), else 0.
namespace Pharos.Training.Rewards;

public sealed class EndsWithReward(string column = "answer") : IRewardFunction
{
    public string Name => "ends_with";

    public double? Score(RewardInput input) => input.Column(column) is { Length: > 0 } end
        ? (input.Completion.TrimEnd().EndsWith(end, StringComparison.Ordinal) ? 1 : 0) : null;
}
