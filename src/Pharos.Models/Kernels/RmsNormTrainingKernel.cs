// RMSNorm of bfloat16 activations for training, forward and backward as one op each (an autograd function). The eager
// form (cast to float32, square, mean, add, rsqrt, multiply, cast back, scale — and autograd's backward of each) reads and
// writes the [tokens, hidden] activations some twenty times per norm; this reads the row once per pass with the same
// float32 arithmetic: y = round(w · round(x·r)), r = 1/√(mean(x²) + eps) (Llama/Qwen2: scaled after the cast back, as
// transformers does), and in the backward dx = round(r·g − x·r³·mean(g·x)) with g = round(dy·w), dw = Σ dy·round(x·r)
// summed over rows in float32. Used where a backward pass may follow (gradient mode on, or the first pass of a
// checkpointed layer, whose replay must take the same path); inference keeps RowNormKernel and libtorch.
using System.Runtime.Intrinsics;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Pharos.Models.Kernels;

public static unsafe class RmsNormTrainingKernel
{
    /// <summary>Contiguous bf16 CPU activations [.., d] and a bf16 or float32 weight [d] (norms that scale by w, not 1 + w),
    /// in training, on a CPU with AVX-512.</summary>
    public static bool Applies(Tensor x, Tensor weight, bool addsOne) =>
        !addsOne && TrainingKernels.Vectorized && !InferenceKernels.Allowed && x.dtype == ScalarType.BFloat16 && x.is_contiguous()
        && x.device_type == TorchSharp.DeviceType.CPU && weight.device_type == TorchSharp.DeviceType.CPU
        && weight.dtype is ScalarType.BFloat16 or ScalarType.Float32 && weight.dim() == 1 && weight.is_contiguous()
        && x.shape[^1] == weight.shape[0] && x.numel() > 0 && weight.shape[0] % 16 == 0;

    public static Tensor Run(Tensor x, Tensor weight, double eps) => Function.Invoke(x, weight, eps);

    // The chained conversion below would leave its intermediate's handle in the caller's dispose scope (AutogradHandoff).
    static Tensor RoundedThroughBfloat16(Tensor weight)
    {
        using var rounded = weight.to(ScalarType.BFloat16);
        return rounded.to(ScalarType.Float32);
    }

    sealed class Function : HandedOffFunction<Function>
    {
        public override string Name => "RmsNormTraining";

        protected override Tensor Forward(AutogradContext ctx, object[] vars)
        {
            Tensor x = (Tensor)vars[0], weight = (Tensor)vars[1];
            double eps = (double)vars[2];
            int d = (int)weight.shape[0], rows = (int)(x.numel() / d);
            var y = empty(x.shape, ScalarType.BFloat16, x.device);
            var inverse = empty([rows], ScalarType.Float32, x.device);
            var xs = (ushort*)TensorMemory.Data(x);
            var ys = (ushort*)TensorMemory.Data(y);
            var rs = (float*)TensorMemory.Data(inverse);
            using var w32 = RoundedThroughBfloat16(weight); // the weight as the bf16 product sees it
            var ws = (float*)TensorMemory.Data(w32);
            var pool = KernelPool.Shared;
            int threads = pool.Threads;
            pool.Run(t =>
            {
                fixed (float* row = TensorMemory.Scratch(0, d))
                    for (int r = rows * t / threads, end = rows * (t + 1) / threads; r < end; r++)
                    {
                        TensorMemory.Read(xs, bfloat16: true, (long)r * d, row, d);
                        var squares = Vector512<float>.Zero;
                        for (int i = 0; i < d; i += 16) { var v = Vector512.Load(row + i); squares += v * v; }
                        float inv = 1f / MathF.Sqrt(Vector512.Sum(squares) / d + (float)eps);
                        rs[r] = inv;
                        var vInv = Vector512.Create(inv);
                        for (int i = 0; i < d; i += 16)
                            TensorMemory.StoreBfloat16(Vector512.Load(ws + i) * TensorMemory.RoundToBfloat16(Vector512.Load(row + i) * vInv), ys + (long)r * d + i);
                    }
            });
            ctx.save_for_backward([x, weight, inverse]);
            AutogradHandoff.Give(inverse);
            return y;
        }

        protected override List<Tensor> Backward(AutogradContext ctx, List<Tensor> saved, Tensor gradOutput)
        {
            Tensor x = saved[0], weight = saved[1], inverse = saved[2];
            int d = (int)weight.shape[0], rows = (int)(x.numel() / d);
            using var dyHere = gradOutput.dtype == ScalarType.BFloat16 && gradOutput.is_contiguous() ? null : TensorMemory.ContiguousBfloat16(gradOutput);
            var dy = dyHere ?? gradOutput;
            bool wantWeight = weight.requires_grad;
            var dx = empty(x.shape, ScalarType.BFloat16, x.device);
            using var w32 = RoundedThroughBfloat16(weight);
            var xs = (ushort*)TensorMemory.Data(x);
            var dys = (ushort*)TensorMemory.Data(dy);
            var dxs = (ushort*)TensorMemory.Data(dx);
            var rs = (float*)TensorMemory.Data(inverse);
            var ws = (float*)TensorMemory.Data(w32);
            var pool = KernelPool.Shared;
            int threads = pool.Threads;
            var partial = wantWeight ? new float[threads * d] : null; // per-thread Σ dy·normed, summed in thread order
            pool.Run(t =>
            {
                fixed (float* buffer = TensorMemory.Scratch(0, 3 * d))
                fixed (float* dw = partial)
                {
                    float* row = buffer, g = buffer + d, dyRow = buffer + 2 * d, myDw = dw == null ? null : dw + (long)t * d;
                    for (int r = rows * t / threads, end = rows * (t + 1) / threads; r < end; r++)
                    {
                        TensorMemory.Read(xs, bfloat16: true, (long)r * d, row, d);
                        TensorMemory.Read(dys, bfloat16: true, (long)r * d, dyRow, d);
                        float inv = rs[r];
                        var vInv = Vector512.Create(inv);
                        var dot = Vector512<float>.Zero;
                        for (int i = 0; i < d; i += 16)
                        {
                            var dyv = Vector512.Load(dyRow + i);
                            var xv = Vector512.Load(row + i);
                            var gv = TensorMemory.RoundToBfloat16(dyv * Vector512.Load(ws + i)); // the bf16 product's gradient
                            gv.Store(g + i);
                            dot += gv * xv;
                            if (myDw != null) (Vector512.Load(myDw + i) + dyv * TensorMemory.RoundToBfloat16(xv * vInv)).Store(myDw + i);
                        }
                        var vC = Vector512.Create(inv * inv * inv * Vector512.Sum(dot) / d);
                        for (int i = 0; i < d; i += 16)
                            TensorMemory.StoreBfloat16(vInv * Vector512.Load(g + i) - Vector512.Load(row + i) * vC, dxs + (long)r * d + i);
                    }
                }
            });
            Tensor? dWeight = null;
            if (partial is not null)
            {
                var sum = new float[d];
                for (int t = 0; t < threads; t++)
                    for (int i = 0; i < d; i++) sum[i] += partial[(long)t * d + i];
                var summed = tensor(sum, [d], ScalarType.Float32, x.device);
                if (weight.dtype == ScalarType.Float32) dWeight = summed;
                else using (summed) dWeight = summed.to(weight.dtype);
            }
            return [dx, dWeight!, null!];
        }
    }
}
