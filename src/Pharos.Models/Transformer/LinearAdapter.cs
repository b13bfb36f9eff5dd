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
}
