// Rotary position embedding of bfloat16 queries/keys for training, forward and backward as one pass each (an autograd
// function). The eager form x·cos + rotate_half(x)·sin is five ops forward (two narrows into a negation and a cat, two
// products, a sum) and as many backward, each reading and writing the [B, heads, T, headDim] activations; this reads
// each row once per pass. It rounds exactly where the eager bf16 ops round, so both give the same bits:
//   forward  y_lo = r(r(x_lo·c_lo) − r(x_hi·s_lo)),  y_hi = r(r(x_hi·c_hi) + r(x_lo·s_hi))
//   backward dx_lo = r(r(g_lo·c_lo) + r(g_hi·s_hi)), dx_hi = r(r(g_hi·c_hi) − r(g_lo·s_lo))
// (r = round to bf16; in the backward each position receives exactly two non-zero terms, so autograd's order of
// accumulation cannot change the sum). Used where a backward pass may follow, as RmsNormTrainingKernel is.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Pharos.Models.Kernels;

public static unsafe class RotaryTrainingKernel
{
    /// <summary>bf16 CPU x [B, heads, T, headDim] with unit stride along headDim (any other strides: a view of the fused
    /// projection), cos/sin contiguous bf16 [B|1, 1, T, headDim], in training, on a CPU with AVX-512.</summary>
    public static bool Applies(Tensor x, Tensor cos, Tensor sin) =>
        TrainingKernels.Vectorized && !InferenceKernels.Allowed && x.dtype == ScalarType.BFloat16 && x.dim() == 4
        && x.device_type == TorchSharp.DeviceType.CPU && x.stride(3) == 1 && x.shape[3] % 32 == 0 && x.numel() > 0
        && Table(cos, x) && Table(sin, x) && cos.shape[0] == sin.shape[0];

    static bool Table(Tensor t, Tensor x) =>
        t.dtype == ScalarType.BFloat16 && t.device_type == TorchSharp.DeviceType.CPU && t.is_contiguous() && t.dim() == 4
        && (t.shape[0] == 1 || t.shape[0] == x.shape[0]) && t.shape[1] == 1 && t.shape[2] == x.shape[2] && t.shape[3] == x.shape[3];

    /// <summary>x·cos + rotate_half(x)·sin, shaped [B, heads, T, headDim] over [B, T, heads, headDim] memory (the layout the
    /// eager ops give for a view of the projection).</summary>
    public static Tensor Run(Tensor x, Tensor cos, Tensor sin) => Function.apply(x, cos, sin);

    sealed class Function : SingleTensorFunction<Function>
    {
        public override string Name => "RotaryTraining";

        public override Tensor forward(AutogradContext ctx, params object[] vars)
        {
            Tensor x = (Tensor)vars[0], cos = (Tensor)vars[1], sin = (Tensor)vars[2];
            var y = Rotate(x, cos, sin, backward: false);
            ctx.save_for_backward([cos, sin]);
            return y;
        }

        public override List<Tensor> backward(AutogradContext ctx, Tensor gradOutput)
        {
            var saved = ctx.get_saved_variables();
            using var unitStride = gradOutput.stride(3) == 1 && gradOutput.dtype == ScalarType.BFloat16 ? null : gradOutput.to(ScalarType.BFloat16).contiguous();
            return [Rotate(unitStride ?? gradOutput, saved[0], saved[1], backward: true), null!, null!];
        }
    }

    /// <summary>The forward rotation of <paramref name="x"/>, or (backward) its transpose applied to the gradient.</summary>
    static Tensor Rotate(Tensor x, Tensor cos, Tensor sin, bool backward)
    {
        long batch = x.shape[0], heads = x.shape[1], steps = x.shape[2];
        int d = (int)x.shape[3], half = d / 2;
        long sb = x.stride(0), sh = x.stride(1), st = x.stride(2);
        bool sharedTable = cos.shape[0] == 1;
        var output = empty([batch, steps, heads, d], ScalarType.BFloat16, x.device);
        var xs = (ushort*)TensorMemory.Data(x);
        var ys = (ushort*)TensorMemory.Data(output);
        var cs = (ushort*)TensorMemory.Data(cos);
        var ss = (ushort*)TensorMemory.Data(sin);
        long rows = batch * heads * steps;
        var pool = KernelPool.Shared;
        int threads = pool.Threads;
        pool.Run(t =>
        {
            long r = rows * t / threads, end = rows * (t + 1) / threads;
            long b = r / (heads * steps), h = r / steps % heads, s = r % steps; // then stepped without dividing
            for (; r < end; r++)
            {
                ushort* source = xs + b * sb + h * sh + s * st;
                ushort* target = ys + ((b * steps + s) * heads + h) * d;
                long table = ((sharedTable ? 0 : b) * steps + s) * d;
                ushort* c = cs + table, n = ss + table;
                for (int i = 0; i < half; i += 16)
                {
                    Vector512<float> lo = Load(source + i), hi = Load(source + half + i);
                    Vector512<float> cLo = Load(c + i), cHi = Load(c + half + i), sLo = Load(n + i), sHi = Load(n + half + i);
                    Vector512<float> low, high;
                    if (backward)
                    {
                        low = R(lo * cLo) + R(hi * sHi);
                        high = R(hi * cHi) - R(lo * sLo);
                    }
                    else
                    {
                        low = R(lo * cLo) - R(hi * sLo);
                        high = R(hi * cHi) + R(lo * sHi);
                    }
                    TensorMemory.StoreBfloat16(low, target + i);
                    TensorMemory.StoreBfloat16(high, target + half + i);
                }
                if (++s == steps) { s = 0; if (++h == heads) { h = 0; b++; } } // the next row: step, then head, then batch
            }
        });
        return output.permute(0, 2, 1, 3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Load(ushort* p) =>
        Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512Int32(Vector256.Load(p)).AsUInt32(), 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> R(Vector512<float> v) => TensorMemory.RoundToBfloat16(v);
}
