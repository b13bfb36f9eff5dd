// For objectives whose training forward runs on other rows than the batch's (GRPO scores prompts plus sampled completions):
// they say, right before that forward, which positions' outputs carry a loss, so a wrapper such as SparseLoRA's can keep
// exactly those positions dense.
using static TorchSharp.torch;

namespace Pharos.Training.Objectives;

public interface IAnnouncesLossPositions
{
    /// <summary>Called with a [N, T] bool tensor (true where the output at that position is scored) just before the model
    /// forward it describes; null = nobody listens. The tensor is only valid during the call.</summary>
    Action<Tensor>? LossPositions { get; set; }
}
