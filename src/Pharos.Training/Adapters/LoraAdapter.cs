// LoRA on one Linear, computed as PEFT does: base(x) + lora_B(lora_A(dropout(x))) · scale. Factors are float32 even over
// bf16 weights (PEFT's autocast_adapter_dtype): they are the trainable master weights; the branch computes in the
// activations' dtype (bf16 under bf16 compute, as PEFT under autocast; float32 in a float32 model). Dropout draws from the
// run's own generator so resume replays it exactly.
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Training.Adapters;

public class LoraAdapter : LinearAdapter
{
    readonly Generator? dropoutRng;

    public LoraAdapter(Linear layer, LoraOptions options, Generator initRng, Generator? dropoutRng)
    {
        Options = options;
        this.dropoutRng = dropoutRng;
        var device = layer.weight.device;
        lora_A = new Linear(layer.InFeatures, options.Rank, false, float32, device);
        lora_B = new Linear(options.Rank, layer.OutFeatures, false, float32, device);
        using (no_grad())
        {
            // PEFT's default init: A ~ kaiming_uniform(a=√5) = U(±1/√in), B = 0, so training starts from the base model.
            double bound = 1.0 / Math.Sqrt(layer.InFeatures);
            lora_A.weight.uniform_(-bound, bound, initRng);
            lora_B.weight.zero_();
        }
    }

    public Linear lora_A { get; }
    public Linear lora_B { get; }
    public LoraOptions Options { get; }
    /// <summary>False makes the layer its frozen base: DPO/GRPO use that as the reference model without a second copy.</summary>
    public bool Enabled { get; set; } = true;

    public override IEnumerable<(string Name, nn.Module Module)> Children => [("lora_A", lora_A), ("lora_B", lora_B)];

    public override Tensor Forward(Linear layer, Tensor x)
    {
        if (!Enabled) return layer.Base(x);
        using var scope = NewDisposeScope();
        var result = layer.Base(x);
        if (!FoldsScale(result.dtype)) return (result + Delta(layer, x).to(result.dtype)).MoveToOuterDisposeScope();
        return AddDelta(result, layer, x).MoveToOuterDisposeScope();
    }

    /// <summary>Whether the branch runs as one product with the scale folded into lora_B (bf16 compute, fused training paths
    /// on). float32 keeps the separate ops: there the branch costs little, and distributed runs are compared with one process
    /// at float32 noise, which one more change of summation order in every projection would exceed.</summary>
    static bool FoldsScale(ScalarType dtype) => Pharos.Models.Kernels.TrainingKernels.Enabled && dtype == ScalarType.BFloat16;

    /// <summary><paramref name="result"/> + B·A·dropout(x)·scale with the second factor's product accumulated into the base's
    /// output by one GEMM (addmm, scale folded into the [out, r] factor), instead of a product, a scaling and an addition
    /// that each read and write the full [N, out] activations (and again in the backward pass). Same sums; the branch is
    /// rounded once, with the base, instead of after each op.</summary>
    protected Tensor AddDelta(Tensor result, Linear layer, Tensor x)
    {
        using var scope = NewDisposeScope();
        var (a, scaledB) = FoldedFactors(layer, x, result.dtype);
        var sum = addmm(result.reshape(-1, result.shape[^1]), a.reshape(-1, a.shape[^1]), scaledB.t(), 1, 1);
        return sum.view(result.shape).MoveToOuterDisposeScope();
    }

    /// <summary>The LoRA branch alone, B·A·dropout(x)·scale in x's dtype (SparseLoRA adds it to a sliced base projection).</summary>
    protected Tensor Delta(Linear layer, Tensor x)
    {
        using var scope = NewDisposeScope();
        return (lora_B.forward(lora_A.forward(BranchInput(layer, x))) * Options.Scale).MoveToOuterDisposeScope();
    }

    /// <summary><see cref="Delta"/>, where <see cref="FoldsScale"/> holds as one product with the scale folded into the [out, r]
    /// factor (as <see cref="AddDelta"/>): the full [N, out] product is not scaled in a second pass, nor its gradient in the
    /// backward.</summary>
    protected Tensor FoldedDelta(Linear layer, Tensor x)
    {
        if (!FoldsScale(x.dtype)) return Delta(layer, x);
        using var scope = NewDisposeScope();
        var (a, scaledB) = FoldedFactors(layer, x, x.dtype);
        return a.matmul(scaledB.t()).MoveToOuterDisposeScope();
    }

    /// <summary>lora_A's output for dropout(x) and scale·lora_B's weight, both in <paramref name="dtype"/>.</summary>
    (Tensor A, Tensor ScaledB) FoldedFactors(Linear layer, Tensor x, ScalarType dtype) =>
        (lora_A.forward(BranchInput(layer, x)).to(dtype), Linear.As(lora_B.weight * Options.Scale, dtype));

    /// <summary>What lora_A reads: x with LoRA dropout while training (one draw per call, whatever is done with it next).</summary>
    protected Tensor BranchInput(Linear layer, Tensor x)
    {
        if (Options.Dropout <= 0 || !layer.training) return x;
        using var scope = NewDisposeScope();
        var keep = rand(x.shape, dtype: float32, device: x.device, generator: dropoutRng).ge_(Options.Dropout);
        return (x * keep / (1 - Options.Dropout)).MoveToOuterDisposeScope();
    }

    /// <summary>scale · B·A, the change this adapter makes to the base weight.</summary>
    public Tensor DeltaWeight() => lora_B.weight.matmul(lora_A.weight) * Options.Scale;
}
