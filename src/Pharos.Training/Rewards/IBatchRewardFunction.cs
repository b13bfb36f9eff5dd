// A reward that is cheaper scored many completions at a time (a neural metric runs one forward pass for a whole
// GRPO group); RewardSet hands it every completion of the batch at once.
namespace Pharos.Training.Rewards;

public interface IBatchRewardFunction : IRewardFunction
{
    /// <summary>One score per input, null where the function abstains.</summary>
    IReadOnlyList<double?> ScoreBatch(IReadOnlyList<RewardInput> inputs);
}
