// loss_type "dr_grpo" (Dr. GRPO, Liu et al. 2025): token sum divided by a constant, sequences × max_completion_length,
// so neither length nor the batch's token count rescales a token's gradient.
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Grpo;

public sealed class DrGrpoLoss : IGrpoLoss
{
    public string Name => "dr_grpo";

    public Tensor Reduce(Tensor perToken, Tensor mask, int maxCompletionLength) =>
        (perToken * mask).sum() / (perToken.shape[0] * (double)maxCompletionLength);
}
