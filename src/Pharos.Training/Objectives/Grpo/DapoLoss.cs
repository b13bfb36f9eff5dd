// loss_type "dapo" (DAPO, Yu et al. 2025): token sum divided by the completion tokens of the accumulated batch. The Trainer
// weighs micro-batches by their prompt count, so here the divisor is the micro-batch's tokens scaled to the whole step:
// identical to TRL when micro-batches hold equal token counts (always with gradient_accumulation 1).
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Grpo;

public sealed class DapoLoss : IGrpoLoss
{
    public string Name => "dapo";

    public Tensor Reduce(Tensor perToken, Tensor mask, int maxCompletionLength) =>
        (perToken * mask).sum() / mask.sum().clamp_min(1);
}
