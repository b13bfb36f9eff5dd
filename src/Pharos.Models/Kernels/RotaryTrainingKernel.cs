// The rotary position embedding of bf16 queries or keys for training, forward and backward as one pass each (an autograd
// function). The eager form (RotaryEmbedding.Apply: a negated half, a cat, two products and a sum, and autograd's
// backward of each) reads and writes the [B, H, T, D] activations about ten times per call, twice per layer; this reads
// each row once per pass and does the same bf16 arithmetic, so the results are the eager ones bit for bit:
//   forward   y₁ = bf16(bf16(x₁·c₁) + bf16(−x₂·s₁));  y₂ = bf16(bf16(x₂·c₂) + bf16(x₁·s₂))   (halves ₁ ₂ of the head dim)
//   backward  dx₁ = bf16(bf16(g₁·c₁) + bf16(g₂·s₂)); dx₂ = bf16(bf16(g₂·c₂) − bf16(g₁·s₁))
// A product of two bf16 values is exact in float32, so only the roundings above matter. The input comes as a layer has
// it, [B, H, T, D] over [B, T, H, D] memory: the output is written contiguous (what the attention kernel reads), and the
// input's gradient in the input's own layout (what the projection's backward reads), so neither is copied again.
using System.Runtime.Intrinsics;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Pharos.Models.Kernels;

public static unsafe class RotaryTrainingKernel
{
    /// <summary>bf16 CPU x [B, H, T, D] (any layout with unit stride along D, D a multiple of 32) and cos, sin
    /// [B|1, 1, T, D] contiguous, where a backward pass may follow (as the RMSNorm training kernel), with AVX-512.</summary>
    public static bool Applies(Tensor x, Tensor cos, Tensor sin)
    {
        if (!TrainingKernels.Vectorized || InferenceKernels.Allowed) return false;
        if (x.dtype != ScalarType.BFloat16 || cos.dtype != ScalarType.BFloat16 || sin.dtype != ScalarType.BFloat16) return false;
        if (x.device_type != TorchSharp.DeviceType.CPU || cos.device_type != TorchSharp.DeviceType.CPU || sin.device_type != TorchSharp.DeviceType.CPU) return false;
        if (x.dim() != 4 || cos.dim() != 4 || !cos.shape.SequenceEqual(sin.shape) || !cos.is_contiguous() || !sin.is_contiguous()) return false;
        long b = x.shape[0], t = x.shape[2], d = x.shape[3];
        return x.numel() > 0 && d % 32 == 0 && x.stride(3) == 1 && (cos.shape[0] == 1 || cos.shape[0] == b)
            && cos.shape[1] == 1 && cos.shape[2] == t && cos.shape[3] == d;
    }

    public static Tensor Run(Tensor x, Tensor cos, Tensor sin) => Function.Invoke(x, cos, sin);

    /// <summary>Where row (b, h, t) of a [B, H, T, D] tensor starts, from its strides (in elements).</summary>
    readonly struct Rows(Tensor t)
    {
        readonly long sb = t.stride(0), sh = t.stride(1), st = t.stride(2);
        readonly long heads = t.shape[1], positions = t.shape[2];
        public readonly ushort* Data = (ushort*)TensorMemory.Data(t);

        public ushort* Row(long r)
        {
            long i = r % positions, rest = r / positions;
            return Data + rest / heads * sb + rest % heads * sh + i * st;
        }
    }

    /// <summary>Each of the [B, H, T] rows through <paramref name="row"/>(x row, out row, cos row, sin row), split between the pool's threads.</summary>
    static void ForEachRow(Tensor x, Tensor cos, Tensor sin, Tensor output, Action<IntPtr, IntPtr, IntPtr, IntPtr> row)
    {
        long b = x.shape[0], h = x.shape[1], t = x.shape[2], d = x.shape[3], rows = b * h * t;
        bool broadcast = cos.shape[0] == 1;
        var input = new Rows(x);
        var result = new Rows(output);
        ushort* cs = (ushort*)TensorMemory.Data(cos), ss = (ushort*)TensorMemory.Data(sin);
        var pool = KernelPool.Shared;
        int threads = pool.Threads;
        pool.Run(thread =>
        {
            for (long r = rows * thread / threads, end = rows * (thread + 1) / threads; r < end; r++)
            {
                long position = r % t, batch = r / (h * t);
                long table = ((broadcast ? 0 : batch) * t + position) * d;
                row((IntPtr)input.Row(r), (IntPtr)result.Row(r), (IntPtr)(cs + table), (IntPtr)(ss + table));
            }
        });
    }

    static Vector512<float> Load(IntPtr row, long i) => TensorMemory.LoadBfloat16((ushort*)row + i);

    static Vector512<float> Round(Vector512<float> v) => TensorMemory.RoundToBfloat16(v);

    static void Store(Vector512<float> v, IntPtr row, long i) => TensorMemory.StoreBfloat16(v, (ushort*)row + i);

    /// <summary>Whether <paramref name="x"/> [B, H, T, D] lies over [B, T, H, D] memory, as a layer's queries and keys do.</summary>
    static bool OverTokens(Tensor x)
    {
        if (x.is_contiguous()) return false;
        using var tokensFirst = x.transpose(1, 2); // disposed here: a wrapper left in the caller's scope would keep x alive
        return tokensFirst.is_contiguous();
    }

    /// <summary>An empty bf16 [B, H, T, D] tensor, over [B, T, H, D] memory when <paramref name="overTokens"/>.</summary>
    static Tensor Empty(long[] shape, bool overTokens, Device device)
    {
        if (!overTokens) return empty(shape, ScalarType.BFloat16, device);
        using var inner = empty([shape[0], shape[2], shape[1], shape[3]], ScalarType.BFloat16, device);
        return inner.transpose(1, 2);
    }

    sealed class Function : HandedOffFunction<Function>
    {
        public override string Name => "RotaryTraining";

        protected override Tensor Forward(AutogradContext ctx, object[] vars)
        {
            Tensor x = (Tensor)vars[0], cos = (Tensor)vars[1], sin = (Tensor)vars[2];
            long half = x.shape[3] / 2;
            var y = empty(x.shape, ScalarType.BFloat16, x.device);
            ForEachRow(x, cos, sin, y, (xs, ys, c, s) =>
            {
                for (long j = 0; j < half; j += 16)
                {
                    Vector512<float> x1 = Load(xs, j), x2 = Load(xs, half + j);
                    Store(Round(x1 * Load(c, j)) + Round(-x2 * Load(s, j)), ys, j);
                    Store(Round(x2 * Load(c, half + j)) + Round(x1 * Load(s, half + j)), ys, half + j);
                }
            });
            ctx.save_for_backward([cos, sin]);
            ctx.save_data("overTokens", OverTokens(x)); // the input's gradient is laid out as the input
            return y;
        }

        protected override List<Tensor> Backward(AutogradContext ctx, List<Tensor> saved, Tensor gradOutput)
        {
            Tensor cos = saved[0], sin = saved[1];
            using var gHere = gradOutput.dtype == ScalarType.BFloat16 && gradOutput.stride(3) == 1 ? null : TensorMemory.ContiguousBfloat16(gradOutput);
            var g = gHere ?? gradOutput;
            long half = g.shape[3] / 2;
            var dx = Empty(g.shape, (bool)ctx.get_data("overTokens"), g.device);
            ForEachRow(g, cos, sin, dx, (gs, dxs, c, s) =>
            {
                for (long j = 0; j < half; j += 16)
                {
                    Vector512<float> g1 = Load(gs, j), g2 = Load(gs, half + j);
                    Store(Round(g1 * Load(c, j)) + Round(g2 * Load(s, half + j)), dxs, j);
                    Store(Round(g2 * Load(c, half + j)) - Round(g1 * Load(s, j)), dxs, half + j);
                }
            });
            return [dx, null!, null!];
        }
    }
}
