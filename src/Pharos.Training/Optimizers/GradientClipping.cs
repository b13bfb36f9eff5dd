// Clips the global gradient norm like torch.nn.utils.clip_grad_norm_ (coefficient max/(norm+1e-6), capped at 1) and reports the norm.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pharos.Training.Optimizers;

public static class GradientClipping
{
    /// <returns>the total L2 norm before clipping</returns>
    public static double ClipGlobalNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        using var scope = NewDisposeScope();
        var grads = parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!).ToList();
        if (grads.Count == 0) return 0;
        var norms = stack(grads.Select(g => g.to(float32).norm()).ToArray());
        double total = norms.norm().item<float>();
        if (maxNorm > 0)
        {
            var coef = Math.Min(1.0, maxNorm / (total + 1e-6));
            if (coef < 1)
                using (no_grad())
                    foreach (var g in grads) g.mul_(coef);
        }
        return total;
    }
}
