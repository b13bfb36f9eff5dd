// One GRPO loss normalisation (TRL's loss_type): how per-token losses of a micro-batch become one number. Each its own unit.
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Grpo;

public interface IGrpoLoss
{
    string Name { get; }

    /// <param name="perToken">[N, T] per-token losses</param>
    /// <param name="mask">[N, T] 1 for completion tokens, 0 for padding</param>
    /// <param name="maxCompletionLength">the configured limit (dr_grpo divides by it)</param>
    /// <returns>the micro-batch's scalar loss</returns>
    Tensor Reduce(Tensor perToken, Tensor mask, int maxCompletionLength);

    /// <summary>True: Reduce returns the masked token sum and the Trainer divides it by the completion tokens of the whole
    /// accumulated step (the objective's units are tokens); false: Reduce normalises the micro-batch and units are prompts.</summary>
    bool NormalisesOverStepTokens => false;
}
