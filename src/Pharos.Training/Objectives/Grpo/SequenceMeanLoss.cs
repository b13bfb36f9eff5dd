// loss_type "grpo" (DeepSeekMath): mean over each sequence's tokens, then mean over sequences; long completions count
// as much as short ones, which biases towards length (the reason the other variants exist).
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Grpo;

public sealed class SequenceMeanLoss : IGrpoLoss
{
    public string Name => "grpo";

    public Tensor Reduce(Tensor perToken, Tensor mask, int maxCompletionLength) =>
        ((perToken * mask).sum(1) / mask.sum(1).clamp_min(1)).mean();
}
