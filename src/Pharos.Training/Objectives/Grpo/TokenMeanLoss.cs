// loss_type "bnpo": token sum over the micro-batch divided by its completion tokens (TRL: the local batch), so tokens weigh
// the same within a micro-batch; micro-batches then weigh by their prompts. dapo normalises over the whole step instead.
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Grpo;

public sealed class TokenMeanLoss : IGrpoLoss
{
    public string Name => "bnpo";

    public Tensor Reduce(Tensor perToken, Tensor mask, int maxCompletionLength) =>
        (perToken * mask).sum() / mask.sum().clamp_min(1);
}
