// Projections that read the same input (q/k/v, gate/up) stored as row blocks of one weight, so that decoding runs them
// as one matmul. Each keeps its own Linear over a view of its block, so parameter names and shapes stay the Hugging Face
// layout (checkpoints, PEFT, optimizers see q_proj.weight etc.) and loading or updating a Linear updates the fused weight.
// The fused matmul is taken only where it is bit for bit the separate ones (Pharos's decoding matmul, see Fusable).
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

    /// <summary>All projections as one tensor [..., Σ out] from one matmul, or null when that would not be exactly the
    /// separate projections (not Pharos's decoding matmul, an adapter on a part, a part no longer a view of the fused weight).</summary>
    public Tensor? Fused(Tensor x) => Fusable(x) ? Kernels.SmallBatchMatmul.Linear(x, weight, bias) : null;

    /// <summary>The parts of a <see cref="Fused"/> output (views).</summary>
    public Tensor[] Split(Tensor all) => all.split(sizes, -1);

    /// <summary>Only where the fused matmul is bit for bit the separate ones: Pharos's decoding matmul computes each output
    /// the same way whatever the other rows of the weight (libtorch's GEMMs do not, so elsewhere the parts run apart and
    /// training, references and checkpoints see exactly the separate layers' arithmetic).</summary>
    bool Fusable(Tensor x) => Kernels.SmallBatchMatmul.Applies(x, weight, bias) && Plain;

    /// <summary>True while the parts are the plain projections over the fused weight: no adapter on any, and none
    /// replaced (e.g. moved to another dtype or device, so that it no longer views the fused weight).</summary>
    internal bool Plain
    {
        get
        {
            for (int i = 0; i < parts.Length; i++)
                if (parts[i].Adapter is not null || !ReferenceEquals(parts[i].weight, partWeights[i]) || parts[i].weight.dtype != weight.dtype)
                    return false;
            return true;
        }
    }

    /// <summary>Adds the objects <see cref="Plain"/> and the fused weight depend on (weight, bias, each part's weight and
    /// adapter): while all are the same objects, <see cref="Plain"/> gives the same answer.</summary>
    internal void AddParticipants(List<object?> seen)
    {
        seen.Add(weight);
        seen.Add(bias);
        foreach (var part in parts)
        {
            seen.Add(part.weight);
            seen.Add(part.Adapter);
        }
    }

    /// <summary>The fused weight [Σ out, in] (and bias), for Pharos's decoding step; see <see cref="Plain"/>.</summary>
    internal Tensor Weight => weight;
    internal Tensor? Bias => bias;

    public void Dispose()
    {
        weight.Dispose();
        bias?.Dispose();
    }
}
