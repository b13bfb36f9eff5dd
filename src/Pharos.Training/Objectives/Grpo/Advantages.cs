// Group-relative advantages: each completion's reward minus its group's mean, divided by a std taken over the group,
// the whole batch, or not at all (TRL's scale_rewards; std is torch's unbiased std, as TRL uses).
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Grpo;

public static class Advantages
{
    public const double Eps = 1e-4;

    /// <param name="rewards">[B·G] total rewards, grouped by prompt (G consecutive completions per prompt)</param>
    public static Tensor Compute(Tensor rewards, int groupSize, string scaleRewards)
    {
        using var scope = NewDisposeScope();
        var grouped = rewards.reshape(-1, groupSize);
        var centred = (grouped - grouped.mean([1], keepdim: true)).reshape(-1);
        var result = scaleRewards switch
        {
            "group" => centred / (grouped.std(1, unbiased: true, keepdim: true).expand_as(grouped).reshape(-1) + Eps),
            "batch" => centred / (rewards.numel() > 1 ? rewards.std(unbiased: true) + Eps : ones([], rewards.dtype) ),
            "none" => centred,
            _ => throw new ArgumentException($"scale_rewards '{scaleRewards}' is not group, batch or none"),
        };
        return result.MoveToOuterDisposeScope();
    }
}
