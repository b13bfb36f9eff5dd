// AdamW's update of one float32 tensor in a single pass (the one-pass form of AdamWRule): PyTorch's single-tensor step is
// eight elementwise ops, each reading and writing the whole tensor (plus clipping's scaling of the gradient), which for full
// fine-tuning of a ~110M model streams some 90 bytes per parameter; this reads weight, gradient and both moments once and
// writes weight and moments once (28 bytes), with the same float32 operations in the same order per element as libtorch's
// CPU kernels for those ops as far as we know them (lerp as a fused multiply-add, as libtorch vectorises it; the clipping
// coefficient applied to the gradient as clip_grad_norm_'s in-place scaling would). It still differs from the op-by-op
// step in the last bit of some weights, so it takes only tensors large enough for the passes to matter (from 64k
// elements: full fine-tuning's matrices); small ones, LoRA factors among them, keep the op-by-op step, whose float32
// trajectory the distributed equality tests compare at float32 noise.
using System.Runtime.Intrinsics;
using Pharos.Models.Kernels;
using static TorchSharp.torch;

namespace Pharos.Training.Optimizers;

internal static unsafe class AdamWKernel
{
    public const long MinElements = 1 << 16;

    /// <summary>One AdamW update of float32 weights (a whole parameter, or a slice of one of
    /// <paramref name="parameterElements"/> elements): this one-pass kernel where it applies, else the rule op by op. AdamW
    /// and ShardedAdamW both update through here, and the choice follows the parameter's size, not the slice's, so every
    /// element gets the same arithmetic whether or not the optimizer state is sharded.</summary>
    public static void Update(AdamWRule rule, Tensor weight, Tensor grad, Tensor expAvg, Tensor expAvgSq, double lr, bool decay, long step,
        double gradScale, long parameterElements)
    {
        if (Applies(weight, grad, expAvg, expAvgSq, parameterElements)) Apply(rule, weight, grad, expAvg, expAvgSq, lr, decay, step, gradScale);
        else rule.Apply(weight, grad, expAvg, expAvgSq, lr, decay, step, gradScale);
    }

    /// <summary>Contiguous float32 CPU weight, gradient and moments of one shape, at least MinElements, on a CPU with AVX-512.</summary>
    /// <param name="parameterElements">the size of the whole parameter when these are a slice of it (a shard)</param>
    public static bool Applies(Tensor weight, Tensor grad, Tensor expAvg, Tensor expAvgSq, long? parameterElements = null) =>
        TrainingKernels.Vectorized && (parameterElements ?? weight.numel()) >= MinElements && weight.device_type == TorchSharp.DeviceType.CPU
        && Float32Contiguous(weight) && Float32Contiguous(grad) && Float32Contiguous(expAvg) && Float32Contiguous(expAvgSq)
        && grad.numel() == weight.numel() && expAvg.numel() == weight.numel() && expAvgSq.numel() == weight.numel();

    static bool Float32Contiguous(Tensor t) => t.dtype == ScalarType.Float32 && t.is_contiguous() && t.device_type == TorchSharp.DeviceType.CPU;

    /// <param name="gradScale">the clipping coefficient (1 = none), applied to each gradient value as it is read (the
    /// gradient tensor itself is left as it is: the optimizer clears it next)</param>
    public static void Apply(AdamWRule rule, Tensor weight, Tensor grad, Tensor expAvg, Tensor expAvgSq, double lr, bool decay, long step, double gradScale)
    {
        long n = weight.numel();
        if (n == 0) return;
        var p = (float*)TensorMemory.Data(weight);
        var g = (float*)TensorMemory.Data(grad);
        var m = (float*)TensorMemory.Data(expAvg);
        var v = (float*)TensorMemory.Data(expAvgSq);
        // The scalars as PyTorch forms them (doubles rounded to float32 where its kernels take float32 operands).
        float keep = decay && rule.WeightDecay != 0 ? (float)(1 - lr * rule.WeightDecay) : 1f;
        float w1 = (float)(1 - rule.Beta1), beta2 = (float)rule.Beta2, w2 = (float)(1 - rule.Beta2);
        float bc2Sqrt = (float)Math.Sqrt(1 - Math.Pow(rule.Beta2, step)), eps = (float)rule.Eps;
        float stepSize = (float)(-lr / (1 - Math.Pow(rule.Beta1, step)));
        float scale = (float)gradScale;
        bool scaled = gradScale != 1, decays = keep != 1f;
        var pool = KernelPool.Shared;
        int threads = pool.Threads;
        void Range(int t)
        {
            long from = n * t / threads & ~15L, to = t == threads - 1 ? n : n * (t + 1) / threads & ~15L;
            long i = from;
            var vKeep = Vector512.Create(keep); var vW1 = Vector512.Create(w1); var vBeta2 = Vector512.Create(beta2);
            var vW2 = Vector512.Create(w2); var vBc2 = Vector512.Create(bc2Sqrt); var vEps = Vector512.Create(eps);
            var vStep = Vector512.Create(stepSize); var vScale = Vector512.Create(scale);
            for (; i + 16 <= to; i += 16)
            {
                var gi = Vector512.Load(g + i);
                if (scaled) gi *= vScale;
                var pi = Vector512.Load(p + i);
                if (decays) pi *= vKeep;
                var mi = Vector512.Load(m + i);
                mi = Vector512.FusedMultiplyAdd(vW1, gi - mi, mi); // lerp_(g, 1 − β1): libtorch's vectorised lerp is one fma
                var vi = Vector512.Load(v + i) * vBeta2 + vW2 * gi * gi; // mul_(β2).addcmul_(g, g, 1 − β2)
                var denom = Vector512.Sqrt(vi) / vBc2 + vEps;
                pi += vStep * mi / denom;                 // addcdiv_(m, denom, −lr / bc1)
                pi.Store(p + i); mi.Store(m + i); vi.Store(v + i);
            }
            for (; i < to; i++)
            {
                float gi = g[i];
                if (scaled) gi *= scale;
                float pi = decays ? p[i] * keep : p[i];
                float mi = MathF.FusedMultiplyAdd(w1, gi - m[i], m[i]);
                float vi = v[i] * beta2 + w2 * gi * gi;
                p[i] = pi + stepSize * mi / (MathF.Sqrt(vi) / bc2Sqrt + eps);
                m[i] = mi; v[i] = vi;
            }
        }
        if (threads == 1) Range(0); else pool.Run(Range);
    }
}
