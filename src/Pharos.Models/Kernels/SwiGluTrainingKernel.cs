// silu(gate) · up of bfloat16 activations for training, forward and backward as one pass each (an autograd function).
// Eagerly that is silu, a product, and backward two products and silu's backward, each reading and writing [tokens,
// intermediate] tensors, with silu(gate) kept alive between the passes; this reads gate and up once per pass and keeps
// only them. The arithmetic is the eager bf16 ops' in float32, rounded where they round:
//   forward  a = r(silu(g)), y = r(a·u)
//   backward du = r(dy·a), dg = r(r(dy·u) · σ(g)·(1 + g·(1 − σ(g))))
// (silu(g) = g·σ(g), σ = 1/(1 + e^−g) from a float32 exp and reciprocal good to a float ulp or two, so a value may land
// one bf16 step from libtorch's where the two differ in the last float bits). Gate and up come as two tensors (LoRA's adapted
// projections) or as the halves of one [.., 2I] product (the joined gate/up of full fine-tuning), whose gradient is
// then written as one tensor. Used where a backward pass may follow, as RmsNormTrainingKernel is.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Pharos.Models.Kernels;

public static unsafe class SwiGluTrainingKernel
{
    /// <summary>Contiguous bf16 CPU gate and up of one shape [.., I], or one [.., 2I] product (gate then up), with silu,
    /// in training, on a CPU with AVX-512.</summary>
    public static bool Applies(string activation, params Tensor[] inputs) =>
        GatedActivationKernel.IsSilu(activation) && TrainingKernels.Vectorized && !InferenceKernels.Allowed
        && inputs.Length is 1 or 2 && inputs.All(t => t.dtype == ScalarType.BFloat16 && t.is_contiguous() && t.numel() > 0
            && t.device_type == TorchSharp.DeviceType.CPU)
        && (inputs.Length == 1 ? inputs[0].shape[^1] % 32 == 0 : inputs[0].shape.SequenceEqual(inputs[1].shape) && inputs[0].shape[^1] % 16 == 0);

    /// <summary>silu(gate)·up of the [.., 2I] gate/up product.</summary>
    public static Tensor Run(Tensor gateUp) => Function.apply(gateUp);

    /// <summary>silu(gate)·up of two [.., I] tensors.</summary>
    public static Tensor Run(Tensor gate, Tensor up) => Function.apply(gate, up);

    sealed class Function : SingleTensorFunction<Function>
    {
        public override string Name => "SwiGluTraining";

        public override Tensor forward(AutogradContext ctx, params object[] vars)
        {
            var inputs = vars.Cast<Tensor>().ToArray();
            var (gates, ups, width, rows, stride) = Layout(inputs);
            var y = empty([.. inputs[0].shape[..^1], width], ScalarType.BFloat16, inputs[0].device);
            var ys = (ushort*)TensorMemory.Data(y);
            Rows(rows, (r, _) =>
            {
                ushort* g = (ushort*)gates + r * stride, u = (ushort*)ups + r * stride, target = ys + r * width;
                for (int i = 0; i < width; i += 16)
                {
                    var gv = Load(g + i);
                    TensorMemory.StoreBfloat16(R(gv * Sigmoid(gv)) * Load(u + i), target + i);
                }
            });
            ctx.save_for_backward([.. inputs]);
            return y;
        }

        public override List<Tensor> backward(AutogradContext ctx, Tensor gradOutput)
        {
            var inputs = ctx.get_saved_variables().ToArray();
            var (gates, ups, width, rows, stride) = Layout(inputs);
            using var contiguous = gradOutput.dtype == ScalarType.BFloat16 && gradOutput.is_contiguous() ? null : gradOutput.to(ScalarType.BFloat16).contiguous();
            var dys = (ushort*)TensorMemory.Data(contiguous ?? gradOutput);
            // One [.., 2I] gradient for one product (gate's half, then up's), else one per input.
            var grads = inputs.Select(t => empty(t.shape, ScalarType.BFloat16, t.device)).ToArray();
            ushort* dGate = (ushort*)TensorMemory.Data(grads[0]), dUp = grads.Length == 1 ? dGate + width : (ushort*)TensorMemory.Data(grads[1]);
            Rows(rows, (r, _) =>
            {
                ushort* g = (ushort*)gates + r * stride, u = (ushort*)ups + r * stride, dy = dys + r * width, dg = dGate + r * stride, du = dUp + r * stride;
                for (int i = 0; i < width; i += 16)
                {
                    Vector512<float> gv = Load(g + i), dyv = Load(dy + i);
                    var sigmoid = Sigmoid(gv);
                    var silu = R(gv * sigmoid);
                    TensorMemory.StoreBfloat16(dyv * silu, du + i);
                    TensorMemory.StoreBfloat16(R(dyv * Load(u + i)) * (sigmoid * (Vector512<float>.One + gv * (Vector512<float>.One - sigmoid))), dg + i);
                }
            });
            return [.. grads];
        }
    }

    /// <summary>Where gate and up start (addresses of bf16 values), their width, the number of rows and the distance
    /// between rows.</summary>
    static (nint Gate, nint Up, int Width, long Rows, long Stride) Layout(Tensor[] inputs)
    {
        var first = (ushort*)TensorMemory.Data(inputs[0]);
        int last = (int)inputs[0].shape[^1];
        if (inputs.Length == 1) return ((nint)first, (nint)(first + last / 2), last / 2, inputs[0].numel() / last, last);
        return ((nint)first, (nint)TensorMemory.Data(inputs[1]), last, inputs[0].numel() / last, last);
    }

    static void Rows(long rows, Action<long, int> row)
    {
        var pool = KernelPool.Shared;
        int threads = pool.Threads;
        pool.Run(t =>
        {
            for (long r = rows * t / threads, end = rows * (t + 1) / threads; r < end; r++) row(r, t);
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Load(ushort* p) =>
        Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512Int32(Vector256.Load(p)).AsUInt32(), 16).AsSingle();

    /// <summary>1/(1 + e^−x): the reciprocal from its 14-bit estimate and one Newton step (float precision, no division).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Sigmoid(Vector512<float> x)
    {
        var d = Vector512<float>.One + VectorExp.Exp(-x);
        var r = Avx512F.Reciprocal14(d);
        return r * (Vector512.Create(2f) - d * r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> R(Vector512<float> v) => TensorMemory.RoundToBfloat16(v);
}
