// Projections that read the same input (q/k/v, gate/up) stored as row blocks of one weight, so that inference runs them
// as one matmul. Each keeps its own Linear over a view of its block, so parameter names and shapes stay the Hugging Face
// layout (checkpoints, PEFT, optimizers see q_proj.weight etc.) and loading or updating a Linear updates the fused weight.
using TorchSharp;
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public sealed class FusedProjections : IDisposable
{
    readonly Tensor weight;
    readonly Tensor? bias;
    readonly Linear[] parts;
    readonly TorchSharp.Modules.Parameter[] partWeights;
    readonly long[] sizes;

    public FusedProjections(long inFeatures, long[] outFeatures, bool hasBias, ScalarType dtype, Device device)
    {
        sizes = outFeatures;
        long total = outFeatures.Sum();
        weight = empty([total, inFeatures], dtype, device).DetachFromDisposeScope();
        bias = hasBias ? empty([total], dtype, device).DetachFromDisposeScope() : null;
        parts = new Linear[outFeatures.Length];
        long offset = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = new Linear(weight.narrow(0, offset, outFeatures[i]), bias?.narrow(0, offset, outFeatures[i]));
            offset += outFeatures[i];
        }
        partWeights = parts.Select(p => p.weight).ToArray();
    }

    public Linear this[int index] => parts[index];

    /// <summary>Every projection of <paramref name="x"/>, in order. One matmul when the math is the plain projections'
    /// (see <see cref="Fused"/>); otherwise each part's own forward in order, so adapters (LoRA, SparseLoRA) and autograd
    /// see exactly the separate layers.</summary>
    public Tensor[] Forward(Tensor x)
    {
        using var all = Fused(x);
        return all is null ? parts.Select(p => p.forward(x)).ToArray() : Split(all);
    }

    /// <summary>All projections as one tensor [..., Σ out] from one matmul, or null when that would not be the plain
    /// projections' math (an adapter on a part, a gradient wanted, a part no longer a view of the fused weight).</summary>
    public Tensor? Fused(Tensor x) => Fusable(x) ? Kernels.SmallBatchMatmul.Linear(x, weight, bias) : null;

    /// <summary>The parts of a <see cref="Fused"/> output (views).</summary>
    public Tensor[] Split(Tensor all) => all.split(sizes, -1);

    bool Fusable(Tensor x)
    {
        if (is_grad_enabled() && (x.requires_grad || partWeights.Any(w => w.requires_grad))) return false;
        for (int i = 0; i < parts.Length; i++)
            // A part whose weight was replaced (e.g. moved to another dtype or device) no longer views the fused weight.
            if (parts[i].Adapter is not null || !ReferenceEquals(parts[i].weight, partWeights[i]) || parts[i].weight.dtype != weight.dtype)
                return false;
        return true;
    }

    public void Dispose()
    {
        weight.Dispose();
        bias?.Dispose();
    }
}
