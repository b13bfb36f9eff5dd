// DoRA (Liu et al. 2024) on one Linear, computed as PEFT's DoraLinearLayer does: with s = m / ‖W + scale·B·A‖ per output
// row (the norm detached from the graph, as the paper's section 4.3 and PEFT do), the output is
// base(x) + (s − 1)·x·Wᵀ + s·scale·B·A·x; the bias is not rescaled. m starts at ‖W‖ (B = 0), so training starts from the base.
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Training.Adapters;

public sealed class DoraAdapter : LoraAdapter
{
    public DoraAdapter(Linear layer, LoraOptions options, Generator initRng, Generator? dropoutRng) : base(layer, options, initRng, dropoutRng)
    {
        lora_magnitude_vector = new DoraMagnitude(layer.OutFeatures, layer.weight.device);
        using var noGrad = no_grad();
        using var norm = WeightNorm(layer);
        lora_magnitude_vector.weight.copy_(norm);
    }

    public DoraMagnitude lora_magnitude_vector { get; }

    public override IEnumerable<(string Name, nn.Module Module)> Children => [.. base.Children, ("lora_magnitude_vector", lora_magnitude_vector)];

    public override Tensor Forward(Linear layer, Tensor x)
    {
        if (!Enabled) return layer.Base(x);
        using var scope = NewDisposeScope();
        var result = layer.Base(x);
        var input = BranchInput(layer, x);
        var scale = (lora_magnitude_vector.weight / WeightNorm(layer)).view(1, -1);
        // PEFT reuses the base output (minus its bias) unless dropout changed the branch's input.
        var baseWithoutBias = Options.Dropout > 0 && layer.training
            ? nn.functional.linear(input.to(float32), layer.weight.to(float32))
            : layer.bias is null ? result.to(float32) : result.to(float32) - layer.bias.to(float32);
        var lora = lora_B.forward(lora_A.forward(input)) * Options.Scale;
        var extra = (scale - 1) * baseWithoutBias + scale * lora;
        return (result + extra.to(result.dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>‖W + scale·B·A‖ over each output row, in float32 and without gradient.</summary>
    Tensor WeightNorm(Linear layer)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var w = layer.weight.to(float32) + DeltaWeight();
        return linalg.vector_norm(w, dims: [1]).MoveToOuterDisposeScope();
    }

    /// <summary>The merged weight: (m / ‖W + ΔW‖) · (W + ΔW) row by row, as PEFT's merge_and_unload computes it.</summary>
    public static Tensor MergedWeight(Tensor weight, Tensor loraA, Tensor loraB, Tensor magnitude, double scale)
    {
        using var scope = NewDisposeScope();
        var w = weight.to(float32) + loraB.to(float32).matmul(loraA.to(float32)) * scale;
        var factor = magnitude.to(float32) / linalg.vector_norm(w, dims: [1]);
        return (factor.view(-1, 1) * w).to(weight.dtype).MoveToOuterDisposeScope();
    }
}
