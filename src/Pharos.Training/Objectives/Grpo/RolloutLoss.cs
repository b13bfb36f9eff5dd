// The GRPO loss of one rollout, as a sum over the objective's units: per-token clipped surrogate (+ k3 KL) of the policy's
// log-probs, reduced by the loss_type. Units are prompts, or completion tokens for dapo, whose Reduce is already a sum.
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Grpo;

/// <param name="LossSum">the loss summed over <paramref name="Units"/>; the Trainer divides by the step's total units</param>
public sealed record RolloutLossTerms(Tensor LossSum, long Units, SurrogateTerms Terms);

public static class RolloutLoss
{
    /// <param name="prompts">prompts in the micro-batch (the units of every loss_type but dapo)</param>
    public static RolloutLossTerms Compute(CausalLM model, Rollout rollout, int prompts, GrpoOptions options, IGrpoLoss loss)
    {
        var logp = rollout.TokenLogProbs(model);
        // num_iterations 1: the sampling policy is the current one, so ratios are exp(0) = 1 with the policy's gradient.
        var old = rollout.OldLogp ?? logp.detach();
        var terms = ClippedSurrogate.Compute(logp, old, rollout.Advantages, options.Epsilon, options.High, options.Beta, rollout.RefLogp);
        var reduced = loss.Reduce(terms.PerToken, rollout.CompletionMask, options.MaxCompletionLength);
        long units = loss.NormalisesOverStepTokens ? rollout.CompletionTokens : prompts;
        // dapo's Reduce is already a sum over its units (tokens); the others are means over the micro-batch's prompts.
        return new RolloutLossTerms(loss.NormalisesOverStepTokens ? reduced : reduced * units, units, terms);
    }
}
