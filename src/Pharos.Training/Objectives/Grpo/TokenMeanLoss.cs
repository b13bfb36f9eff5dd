// loss_type "bnpo": token sum over the micro-batch divided by its completion-token count (every token weighs the same).
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Grpo;

public sealed class TokenMeanLoss : IGrpoLoss
{
    public string Name => "bnpo";

    public Tensor Reduce(Tensor perToken, Tensor mask, int maxCompletionLength) =>
        (perToken * mask).sum() / mask.sum().clamp_min(1);
}
