// The fused training paths (TrainingKernels: the LM-head cross-entropy kernel, LoRA's branch accumulated into the base
// product, the one-pass AdamW) against the plain libtorch ops they replace: the same loss, gradients and updates within
// rounding, in bf16 mixed precision and float32.
using System.Runtime.Intrinsics.X86;
using Pharos.Models.Kernels;
using Pharos.Models.Loading;
using Pharos.Tests;
using Pharos.Training.Adapters;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives;
using Pharos.Training.Optimizers;
using Pharos.Training.Precision;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.Precision;

public class FusedTrainingPathTests
{
    static string Model(string name) => RepoPaths.Fixtures("Pharos.Models.Tests", name);

    static double[] Values(Tensor t) => t.detach().to(float64).contiguous().data<double>().ToArray();

    /// <summary>Runs <paramref name="body"/> with the fused paths off, then on (this thread only), restoring the setting.</summary>
    static (T Plain, T Fused) Both<T>(Func<T> body)
    {
        bool saved = TrainingKernels.Enabled;
        try
        {
            TrainingKernels.Enabled = false;
            var plain = body();
            TrainingKernels.Enabled = true;
            return (plain, body());
        }
        finally { TrainingKernels.Enabled = saved; }
    }

    /// <summary>The summed loss and every trainable gradient after one forward and backward on the tiny Llama.</summary>
    static (double Loss, Dictionary<string, double[]> Grads) Step(PrecisionPolicy precision, bool lora)
    {
        var rng = new Random(7);
        var rows = Enumerable.Range(0, 2).Select(_ =>
        {
            var ids = Enumerable.Range(0, 24).Select(_ => rng.Next(3, 250)).ToArray();
            return new PackedSequence(ids, Enumerable.Repeat(true, 24).ToArray(), new int[24], Enumerable.Range(0, 24).ToArray());
        }).ToList();
        using var model = ModelLoader.Load(Model("tiny-llama"), CPU, precision.ModelDType(float32, trainsBase: !lora));
        if (lora)
        {
            Lora.Apply(model, new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0 }, seed: 3);
            using var noGrad = no_grad();
            // Non-zero B factors, so the branch contributes to the output and to the input gradients.
            foreach (var (_, adapter, _) in Lora.Find(model)) adapter.lora_B.weight.normal_(0, 0.05, new Generator(11));
        }
        precision.Apply(model);
        model.train();
        using var batch = BatchBuilder.Build(rows, 0, CPU);
        var output = new CausalLmObjective(chunkRows: 16).Loss(model, batch);
        output.LossSum.backward();
        var grads = model.named_parameters().Where(p => p.parameter.requires_grad).ToDictionary(p => p.name, p => Values(p.parameter.grad!));
        return (output.LossSum.item<float>(), grads);
    }

    static double RelativeError(double[] reference, double[] actual) =>
        Math.Sqrt(reference.Zip(actual, (r, a) => (r - a) * (r - a)).Sum() / reference.Sum(r => r * r));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void In_float32_a_step_gives_the_plain_paths_loss_and_gradients(bool lora)
    {
        // float32 takes none of the bf16 kernels and keeps LoRA's separate ops (and AdamW's op-by-op step for small tensors):
        // the switch must not change its arithmetic beyond float32 noise.
        var (plain, fused) = Both(() => Step(PrecisionPolicy.Float32, lora));
        AllClose.Equal(plain.Loss, fused.Loss, rtol: 1e-5, atol: 0, "summed loss");
        Assert.Equal(plain.Grads.Keys, fused.Grads.Keys);
        foreach (var (name, g) in plain.Grads)
        {
            Assert.True(g.Any(x => x != 0), $"{name}: zero gradient");
            AllClose.EqualAtScale(g, fused.Grads[name], rtol: 1e-4, atolOfScale: 1e-5, name);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void In_bf16_a_step_is_as_close_to_float32_as_the_plain_path(bool lora)
    {
        // bf16 rounds at different points along the two paths (the fused ones round less often), so they are compared
        // through their distance to the float32 step: the fused path must be no further from it than the plain one is.
        var (plain, fused) = Both(() => Step(PrecisionPolicy.Bfloat16, lora));
        var reference = Step(PrecisionPolicy.Float32, lora);
        AllClose.Equal(reference.Loss, fused.Loss, rtol: 5e-3, atol: 0, "summed loss vs float32");
        Assert.Equal(plain.Grads.Keys, fused.Grads.Keys);
        double plainWorst = 0, fusedWorst = 0;
        foreach (var (name, r) in reference.Grads)
        {
            double plainError = RelativeError(r, plain.Grads[name]), fusedError = RelativeError(r, fused.Grads[name]);
            Assert.True(fusedError < 0.1, $"{name}: bf16 gradient {fusedError:P1} away from float32");
            Assert.True(fusedError <= 1.5 * plainError + 2e-3, $"{name}: fused {fusedError:P2} vs plain {plainError:P2} from float32");
            plainWorst = Math.Max(plainWorst, plainError);
            fusedWorst = Math.Max(fusedWorst, fusedError);
        }
        Assert.True(plainWorst > 0 && fusedWorst > 0, "both arms computed in bf16");
    }

    [KernelFact]
    public void The_cross_entropy_kernel_equals_log_softmax_and_its_gradient()
    {
        var g = new Generator(5);
        using var logits = (randn([7, 1003], generator: g) * 4).to(bfloat16);
        using var targets = tensor(new long[] { 0, 1002, 5, -100, 17, 400, 999 });
        Assert.True(CrossEntropyKernel.Applies(logits, targets));
        var (loss, grad) = CrossEntropyKernel.Run(logits, targets, wantGrad: true);
        using var x = logits.to(float32).requires_grad_(true);
        var expected = nn.functional.cross_entropy(x, targets, reduction: nn.Reduction.Sum);
        expected.backward();
        AllClose.Equal(expected.item<float>(), loss.item<float>(), rtol: 1e-5, atol: 0, "loss");
        Assert.Equal(bfloat16, grad!.dtype);
        // libtorch's gradient rounded to bf16 as autograd's cast back would round it: equal up to one bf16 ulp.
        AllClose.Equal(Values(x.grad!.to(bfloat16)), Values(grad), rtol: 1e-2, atol: 1e-7, "gradient");
        Assert.All(Values(grad[3]), v => Assert.Equal(0.0, v)); // the ignored row
        Assert.Throws<ArgumentException>(() => CrossEntropyKernel.Run(logits, tensor(new long[] { 0, 1, 2, 3, 4, 5, 1003 }), true));
    }

    // The chunked LM-head loss lets the kernel write each chunk's gradient over its logits (one [rows, vocab] buffer).
    [KernelFact]
    public void The_cross_entropy_kernel_in_place_gives_the_same_loss_and_gradient_bits()
    {
        var g = new Generator(8);
        using var logits = (randn([9, 517], generator: g) * 4).to(bfloat16);
        using var targets = tensor(new long[] { 0, 516, 5, -100, 17, 400, 499, 3, 3 });
        var (loss, grad) = CrossEntropyKernel.Run(logits, targets, wantGrad: true);
        using var overwritten = logits.clone();
        var (lossInPlace, gradInPlace) = CrossEntropyKernel.Run(overwritten, targets, wantGrad: true, inPlace: true);
        Assert.Equal(loss.item<float>(), lossInPlace.item<float>());
        Assert.True(grad!.bytes.SequenceEqual(overwritten.bytes), "the gradient written over the logits");
        Assert.True(gradInPlace!.bytes.SequenceEqual(grad.bytes));
        Assert.False(logits.bytes.SequenceEqual(overwritten.bytes)); // the logits themselves are gone
    }

    // Token log-probs recomputed in the backward pass ask the kernel for Σ_r scale_r · loss_r's gradient.
    [KernelFact]
    public void The_cross_entropy_kernel_scales_each_rows_gradient_as_autograd_does()
    {
        var g = new Generator(12);
        using var logits = (randn([6, 777], generator: g) * 3).to(bfloat16);
        using var targets = tensor(new long[] { 1, 776, 5, 100, 17, 0 });
        var scale = new float[] { -0.5f, 2f, 1e-3f, -7f, 0f, 1f };
        var (_, grad) = CrossEntropyKernel.Run(logits, targets, wantGrad: true, rowScale: scale);
        using var x = logits.to(float32).requires_grad_(true);
        var perRow = nn.functional.cross_entropy(x, targets, reduction: nn.Reduction.None);
        (perRow * tensor(scale)).sum().backward();
        // libtorch's float32 gradient rounded to bf16 once, as the kernel rounds it: equal up to one bf16 ulp.
        AllClose.Equal(Values(x.grad!.to(bfloat16)), Values(grad!), rtol: 1e-2, atol: 1e-9, "scaled gradient");
        Assert.All(Values(grad![4]), v => Assert.Equal(0.0, Math.Abs(v))); // a zero scale
    }

    [KernelFact]
    public void The_rmsnorm_kernel_equals_the_eager_norm_and_its_gradients()
    {
        var norm = new Pharos.Models.Transformer.RmsNorm(128, 1e-5, addsOne: false, float32, CPU);
        using (no_grad()) norm.weight.copy_(rand([128], generator: new Generator(2)) + 0.5);
        using var input = (randn([3, 5, 128], generator: new Generator(4)) * 3).to(bfloat16);
        using var upstream = randn([3, 5, 128], generator: new Generator(6)).to(bfloat16);
        (double[] Y, double[] Dx, double[] Dw) Run()
        {
            norm.weight.grad = null;
            using var x = input.detach().clone().requires_grad_(true);
            var y = norm.forward(x);
            Assert.Equal(bfloat16, y.dtype);
            y.backward([upstream]);
            return (Values(y), Values(x.grad!), Values(norm.weight.grad!));
        }
        Assert.True(Pharos.Models.Kernels.RmsNormTrainingKernel.Applies(input, norm.weight, false)); // gradient mode is on
        var (plain, fused) = Both(Run);
        // One bf16 rounding apart at most (float32 sums in another order before it).
        AllClose.Equal(plain.Y, fused.Y, rtol: 8e-3, atol: 1e-6, "output");
        AllClose.EqualAtScale(plain.Dx, fused.Dx, rtol: 8e-3, atolOfScale: 8e-3, "input gradient");
        AllClose.EqualAtScale(plain.Dw, fused.Dw, rtol: 1e-2, atolOfScale: 1e-2, "weight gradient");
    }

    [KernelTheory]
    [InlineData(1.0, true)]
    [InlineData(0.05, false)]
    public void The_one_pass_adamw_update_equals_the_single_tensor_step(double maxNorm, bool decay)
    {
        var rule = new AdamWRule(WeightDecay: 0.1);
        var g = new Generator(9);
        using var weight = randn([70_001], generator: g);
        using var expAvg = zeros_like(weight);
        using var expAvgSq = zeros_like(weight);
        using var w2 = weight.clone();
        using var m2 = expAvg.clone();
        using var v2 = expAvgSq.clone();
        for (int step = 1; step <= 3; step++)
        {
            using var grad = randn([70_001], generator: g) * 0.3;
            double coef = GradientClipping.Coefficient(grad.norm().item<float>(), maxNorm);
            Assert.True(AdamWKernel.Applies(weight, grad, expAvg, expAvgSq));
            AdamWKernel.Apply(rule, weight, grad, expAvg, expAvgSq, 1e-2, decay, step, coef);
            using var clipped = grad * coef;
            rule.Apply(w2, clipped, m2, v2, 1e-2, decay, step);
        }
        Assert.False(weight.allclose(randn([70_001], generator: new Generator(9))), "the weights moved");
        AllClose.Equal(Values(w2), Values(weight), rtol: 1e-5, atol: 1e-6, "weights");
        AllClose.Equal(Values(m2), Values(expAvg), rtol: 1e-5, atol: 1e-7, "first moments");
        AllClose.Equal(Values(v2), Values(expAvgSq), rtol: 1e-5, atol: 1e-9, "second moments");
    }
}

/// <summary>A fact about a kernel that runs on AVX-512 only; elsewhere it is reported as skipped, not passed.</summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        if (!Avx512F.IsSupported) Skip = "no AVX-512 on this CPU: the kernel never runs";
    }
}

/// <summary>A theory about a kernel that runs on AVX-512 only (see <see cref="KernelFactAttribute"/>).</summary>
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    public KernelTheoryAttribute()
    {
        if (!Avx512F.IsSupported) Skip = "no AVX-512 on this CPU: the kernel never runs";
    }
}
