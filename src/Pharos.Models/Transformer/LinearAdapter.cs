// The hook an adapter (LoRA, later SparseLoRA) uses to take over a Linear's forward; its modules become children of the Linear.
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public abstract class LinearAdapter
{
    /// <summary>Modules registered under the Linear, so parameter names read like PEFT's (`q_proj.lora_A.weight`).</summary>
    public abstract IEnumerable<(string Name, nn.Module Module)> Children { get; }

    /// <summary>The whole output of the adapted layer; <paramref name="layer"/>.Base(x) is the frozen projection
    /// (a sparse adapter may compute a sliced version of it instead).</summary>
    public abstract Tensor Forward(Linear layer, Tensor x);

    /// <summary>True when the adapted output is the plain projection layer.Base(x) plus something (<see cref="FromBase"/>),
    /// so the base may be computed together with its neighbours (q/k/v or gate/up as one product in training, see
    /// <see cref="FusedProjections"/>); false when the adapter computes its base itself (DoRA rescales it, SparseLoRA
    /// slices it).</summary>
    public virtual bool SharesBase => false;

    /// <summary>The adapted output from <paramref name="baseOutput"/> = layer.Base(x) computed elsewhere; only called
    /// where <see cref="SharesBase"/>.</summary>
    public virtual Tensor FromBase(Linear layer, Tensor x, Tensor baseOutput) =>
        throw new NotSupportedException($"{GetType().Name} computes its own base projection");
}
