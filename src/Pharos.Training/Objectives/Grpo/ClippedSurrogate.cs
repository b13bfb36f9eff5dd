// GRPO's per-token loss: −min(ρ·A, clip(ρ, 1−ε, 1+ε_high)·A) with ρ = exp(logp − logp_old), plus β·KL to the reference
// by the k3 estimator exp(ref − logp) − (ref − logp) − 1; also which tokens the clip bound (TRL's clip_ratio).
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Grpo;

/// <param name="PerToken">[N, T] loss per token (padding not yet masked)</param>
/// <param name="Kl">[N, T] k3 KL per token, or null when β = 0</param>
/// <param name="Clipped">[N, T] 1 where the clip was active and took the gradient away</param>
public sealed record SurrogateTerms(Tensor PerToken, Tensor? Kl, Tensor Clipped);

public static class ClippedSurrogate
{
    /// <param name="logp">[N, T] log πθ of the completion tokens (with gradient)</param>
    /// <param name="oldLogp">[N, T] log π_old at sampling time</param>
    /// <param name="advantages">[N] one advantage per completion</param>
    /// <param name="refLogp">[N, T] reference log-probs, or null when β = 0</param>
    public static SurrogateTerms Compute(Tensor logp, Tensor oldLogp, Tensor advantages, double epsilon, double epsilonHigh, double beta, Tensor? refLogp)
    {
        var a = advantages.unsqueeze(1);
        var ratio = (logp - oldLogp).exp();
        var clippedRatio = ratio.clamp(1 - epsilon, 1 + epsilonHigh);
        var perToken = -minimum(ratio * a, clippedRatio * a);
        Tensor? kl = null;
        if (beta > 0 && refLogp is not null)
        {
            var d = refLogp - logp;
            kl = d.exp() - d - 1;
            perToken = perToken + kl * beta;
        }
        Tensor clipped;
        using (no_grad())
        {
            var r = ratio.detach();
            clipped = (r.lt(1 - epsilon).logical_and(a.lt(0)).logical_or(r.gt(1 + epsilonHigh).logical_and(a.gt(0)))).to(float32);
        }
        return new SurrogateTerms(perToken, kl, clipped);
    }
}
