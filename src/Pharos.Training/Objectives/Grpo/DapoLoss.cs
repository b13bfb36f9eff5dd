// loss_type "dapo" (DAPO, Yu et al. 2025): the token sum divided by the completion tokens of the whole accumulated batch,
// so every token of the step weighs the same however the micro-batches split it. Reduce gives the sum; the GRPO objective
// reports completion tokens as its units, and the Trainer divides by the step's total.
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Grpo;

public sealed class DapoLoss : IGrpoLoss
{
    public string Name => "dapo";

    public Tensor Reduce(Tensor perToken, Tensor mask, int maxCompletionLength) => (perToken * mask).sum();

    public bool NormalisesOverStepTokens => true;
}
