// Penalises completions far from the reference's length: 0 within ±tolerance of it, falling linearly to −1 at twice (or
// none of) its length. Without a reference column, penalises only what exceeds max_chars (0 when unset: abstain).
namespace Pharos.Training.Rewards;

public sealed class LengthPenaltyReward(string column = "reference", double tolerance = 0.2, int maxChars = 0) : IRewardFunction
{
    public string Name => "length_penalty";

    public double? Score(RewardInput input)
    {
        int length = input.Completion.Trim().Length;
        if (input.Column(column) is { Length: > 0 } reference)
        {
            double off = Math.Abs(length / (double)reference.Length - 1);
            return off <= tolerance ? 0 : -Math.Min(1, (off - tolerance) / (1 - tolerance));
        }
        if (maxChars <= 0) return null;
        return length <= maxChars ? 0 : -Math.Min(1, (length - maxChars) / (double)maxChars);
    }
}
