// Clips the global gradient norm like torch.nn.utils.clip_grad_norm_ (coefficient max/(norm+1e-6), capped at 1) and reports the norm.
using static TorchSharp.torch;
using TorchSharp.Modules;

namespace Pharos.Training.Optimizers;

public static class GradientClipping
{
    /// <returns>the total L2 norm before clipping</returns>
    public static double ClipGlobalNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        var grads = parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!).ToList();
        double total = GlobalNorm(grads);
        double coef = Coefficient(total, maxNorm);
        if (coef < 1)
            using (no_grad())
                foreach (var g in grads) g.mul_(coef);
        return total;
    }

    /// <summary>The L2 norm of all the gradients together (0 for none).</summary>
    public static double GlobalNorm(IReadOnlyList<Tensor> grads)
    {
        if (grads.Count == 0) return 0;
        using var scope = NewDisposeScope();
        var norms = stack(grads.Select(g => g.to(float32).norm()).ToArray());
        return norms.norm().item<float>();
    }

    /// <summary>What the gradients are multiplied by: max/(norm+1e-6) capped at 1; 1 when clipping is off (max ≤ 0).</summary>
    public static double Coefficient(double total, double maxNorm) => maxNorm > 0 ? Math.Min(1.0, maxNorm / (total + 1e-6)) : 1.0;
}
