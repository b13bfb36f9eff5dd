// The training attention kernel (bf16 products through bmm, softmax and its gradient in one float32 pass per row) against
// the same attention in float64 autograd from the same bf16 inputs, and against the arithmetic it reproduces — transformers'
// eager attention under autocast, run as libtorch bf16 ops (scores in bf16, softmax in float32, probabilities cast to
// bf16): no further from float64 than that is, for a causal mask, packed documents with padding, and heads split into groups.
using Pharos.Models.Kernels;
using Pharos.Models.Transformer;
using Pharos.Tests;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Kernels;

public class AttentionTrainingKernelTests
{
    static double[] Values(Tensor t) => t.detach().to(float64).contiguous().data<double>().ToArray();

    sealed record Result(double[] Output, double[] Dq, double[] Dk, double[] Dv);

    static (Tensor Q, Tensor K, Tensor V, Tensor Upstream) Inputs(long b, long h, long t, long d, int seed)
    {
        var g = new Generator((ulong)seed);
        Tensor R(double scale) => (randn([b, h, t, d], generator: g) * scale).to(bfloat16);
        return (R(1.5), R(1.5), R(1), R(1));
    }

    /// <summary>Output and gradients of q, k, v for the given upstream gradient; <paramref name="attend"/> gets leaf copies.</summary>
    static Result Run(Func<Tensor, Tensor, Tensor, Tensor> attend, (Tensor Q, Tensor K, Tensor V, Tensor Upstream) x, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var q = x.Q.detach().clone().to(dtype).requires_grad_(true);
        var k = x.K.detach().clone().to(dtype).requires_grad_(true);
        var v = x.V.detach().clone().to(dtype).requires_grad_(true);
        var output = attend(q, k, v);
        output.backward([x.Upstream.to(output.dtype)]);
        return new Result(Values(output), Values(q.grad!), Values(k.grad!), Values(v.grad!));
    }

    static Tensor Logits(Tensor q, Tensor k, double scale, double? softcap)
    {
        var logits = q.matmul(k.transpose(2, 3)) * scale;
        return softcap is double cap ? (logits / cap).tanh() * cap : logits;
    }

    static Tensor Reference(Tensor q, Tensor k, Tensor v, double scale, Tensor mask, double? softcap = null) =>
        (Logits(q, k, scale, softcap) + mask.to(q.dtype)).softmax(-1).matmul(v);

    /// <summary>transformers' eager attention in bf16 under autocast, one libtorch op at a time.</summary>
    static Tensor Eager(Tensor q, Tensor k, Tensor v, double scale, Tensor mask, double? softcap = null) =>
        (Logits(q, k, scale, softcap) + mask.to(q.dtype)).softmax(-1, float32).to(q.dtype).matmul(v);

    /// <summary>Largest and mean |expected − actual|, relative to the largest |expected|.</summary>
    static (double Max, double Mean) Error(double[] expected, double[] actual)
    {
        double scale = expected.Max(Math.Abs), worst = 0, sum = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = Math.Abs(expected[i] - actual[i]);
            worst = Math.Max(worst, e);
            sum += e;
        }
        return (worst / scale, sum / expected.Length / scale);
    }

    /// <summary>The kernel within bf16 rounding of float64 everywhere, and on average no further from it than the eager bf16
    /// ops (the largest error of either is one element's luck; with a power-of-two scale the two give the same bits).</summary>
    static void AssertClose(Result exact, Result kernel, Result eager)
    {
        foreach (var (name, e, k, l) in new[] { ("output", exact.Output, kernel.Output, eager.Output), ("dq", exact.Dq, kernel.Dq, eager.Dq),
                     ("dk", exact.Dk, kernel.Dk, eager.Dk), ("dv", exact.Dv, kernel.Dv, eager.Dv) })
        {
            var (ours, theirs) = (Error(e, k), Error(e, l));
            Assert.True(ours.Max < 0.03, $"{name}: {ours.Max:P2} of its scale from float64");
            Assert.True(ours.Mean <= 1.1 * theirs.Mean + 1e-6, $"{name}: mean error {ours.Mean:E3} vs eager bf16 {theirs.Mean:E3} (of the scale)");
        }
    }

    [KernelTheory]
    [InlineData(37, 16)] // rows not a multiple of 16 keys
    [InlineData(64, 32)]
    public void Causal_attention_and_its_gradients_match_float64(int t, int d)
    {
        var x = Inputs(2, 3, t, d, seed: t);
        double scale = 1 / Math.Sqrt(d);
        using var causal = AttentionMask.Build(null, 0, t, t, null, null, float64, CPU);
        Assert.True(AttentionTrainingKernel.Applies(x.Q, x.K, x.V, null));
        var kernel = Run((q, k, v) => AttentionTrainingKernel.Run(q, k, v, scale, null), x, bfloat16);
        using var causalBf16 = AttentionMask.Build(null, 0, t, t, null, null, bfloat16, CPU);
        var libtorch = Run((q, k, v) => Eager(q, k, v, scale, causalBf16), x, bfloat16);
        var exact = Run((q, k, v) => Reference(q, k, v, scale, causal), x, float64);
        AssertClose(exact, kernel, libtorch);
    }

    [KernelFact]
    public void Packed_documents_and_padding_match_float64_and_a_row_with_no_key_spreads_evenly()
    {
        const int t = 29;
        var x = Inputs(2, 2, t, 16, seed: 3);
        // Row 0: two documents (0..11, 12..28). Row 1: its first three tokens are padding, so queries 0..2 see no key.
        var documents = tensor(Enumerable.Range(0, 2 * t).Select(i => (long)(i % t < 12 ? 0 : 1)).ToArray(), [2, t]);
        var keyMask = tensor(Enumerable.Range(0, 2 * t).Select(i => (long)(i >= t && i < t + 3 ? 0 : 1)).ToArray(), [2, t]);
        using var mask = AttentionMask.Build(keyMask, 0, t, t, null, documents, bfloat16, CPU);
        Assert.True(AttentionTrainingKernel.Applies(x.Q, x.K, x.V, mask));
        var kernel = Run((q, k, v) => AttentionTrainingKernel.Run(q, k, v, 0.25, mask), x, bfloat16);
        var libtorch = Run((q, k, v) => Eager(q, k, v, 0.25, mask), x, bfloat16);
        var exact = Run((q, k, v) => Reference(q, k, v, 0.25, AttentionMask.Build(keyMask, 0, t, t, null, documents, float64, CPU)), x, float64);
        AssertClose(exact, kernel, libtorch);
        // Row 1, query 0 of head 0: nothing allowed, so the mean of all values (as libtorch's softmax gives).
        using var mean = x.V[1, 0].to(float64).mean([0]);
        var first = kernel.Output.AsSpan((1 * 2 + 0) * t * 16, 16).ToArray();
        AllClose.Equal(Values(mean), first, rtol: 1e-2, atol: 1e-2, "fully masked row");
    }

    [KernelTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Soft_capped_logits_match_float64(bool documents)
    {
        // Gemma 2 caps its logits at 50; a cap of 3 on these inputs puts most logits on tanh's curve and many near ±cap.
        const int t = 45;
        const double cap = 3, scale = 0.3;
        var x = Inputs(2, 2, t, 16, seed: 12);
        var ids = tensor(Enumerable.Range(0, 2 * t).Select(i => (long)(documents && i % t >= 20 ? 1 : 0)).ToArray(), [2, t]);
        using var mask = AttentionMask.Build(null, 0, t, t, null, ids, bfloat16, CPU);
        using var mask64 = AttentionMask.Build(null, 0, t, t, null, ids, float64, CPU);
        var kernelMask = documents ? mask : null; // without documents: the kernel's own causal rows
        Assert.True(AttentionTrainingKernel.Applies(x.Q, x.K, x.V, kernelMask));
        var kernel = Run((q, k, v) => AttentionTrainingKernel.Run(q, k, v, scale, kernelMask, cap), x, bfloat16);
        var eager = Run((q, k, v) => Eager(q, k, v, scale, mask, cap), x, bfloat16);
        var exact = Run((q, k, v) => Reference(q, k, v, scale, mask64, cap), x, float64);
        AssertClose(exact, kernel, eager);
        var uncapped = Run((q, k, v) => Reference(q, k, v, scale, mask64), x, float64);
        Assert.True(Error(exact.Output, uncapped.Output).Max > 0.05, "the cap changes the result on these inputs");
    }

    [KernelFact]
    public void Heads_computed_in_groups_give_the_same_bits()
    {
        const int t = 40;
        var x = Inputs(2, 3, t, 16, seed: 8);
        Result Once() => Run((q, k, v) => AttentionTrainingKernel.Run(q, k, v, 0.25, null), x, bfloat16);
        var whole = Once();
        long saved = AttentionTrainingKernel.GroupElements;
        try
        {
            AttentionTrainingKernel.GroupElements = 2 * t * t; // two heads of one batch row at a time: groups (b, 0..1), (b, 2)
            var grouped = Once();
            Assert.Equal(whole.Output, grouped.Output);
            Assert.Equal(whole.Dq, grouped.Dq);
            Assert.Equal(whole.Dk, grouped.Dk);
            Assert.Equal(whole.Dv, grouped.Dv);
        }
        finally { AttentionTrainingKernel.GroupElements = saved; }
    }

    [KernelFact]
    public void Inputs_laid_out_as_in_a_layer_give_the_bits_of_contiguous_ones()
    {
        // A layer hands q, k, v (and gets dO) as [B, H, T, D] views over [B, T, H, D] memory; the kernel makes them
        // contiguous once, and that must change nothing.
        var x = Inputs(2, 3, 24, 16, seed: 9);
        static Tensor Permuted(Tensor t) => t.transpose(1, 2).contiguous().transpose(1, 2);
        var contiguous = Run((q, k, v) => AttentionTrainingKernel.Run(q, k, v, 0.25, null), x, bfloat16);
        var permuted = Run((q, k, v) =>
        {
            var (pq, pk, pv) = (Permuted(q), Permuted(k), Permuted(v));
            Assert.False(pq.is_contiguous());
            return AttentionTrainingKernel.Run(pq, pk, pv, 0.25, null);
        }, x with { Upstream = Permuted(x.Upstream) }, bfloat16);
        Assert.Equal(contiguous.Output, permuted.Output);
        Assert.Equal(contiguous.Dq, permuted.Dq);
        Assert.Equal(contiguous.Dk, permuted.Dk);
        Assert.Equal(contiguous.Dv, permuted.Dv);
    }

    [KernelFact]
    public void It_stays_out_of_inference_and_of_shapes_it_does_not_cover()
    {
        var x = Inputs(1, 2, 8, 16, seed: 1);
        Assert.True(AttentionTrainingKernel.Applies(x.Q, x.K, x.V, null));
        using (no_grad()) Assert.False(AttentionTrainingKernel.Applies(x.Q, x.K, x.V, null)); // inference keeps libtorch's path
        using var longer = randn([1, 2, 12, 16]).to(bfloat16);
        Assert.False(AttentionTrainingKernel.Applies(x.Q, longer, longer, null)); // causal needs as many keys as queries
        Assert.False(AttentionTrainingKernel.Applies(x.Q.to(float32), x.K.to(float32), x.V.to(float32), null));
    }
}
