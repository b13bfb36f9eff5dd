// AdamW's arithmetic on one float32 tensor, PyTorch's single-tensor step for step (decoupled decay, bias corrections,
// eps outside the sqrt): shared by the replicated AdamW and the sharded one, which applies it to slices of a flat shard.
// A large tensor is updated block by block: each op of the step is a pass over memory, and on a block that stays in
// cache only the first read and last write of weight, gradient and moments reach DRAM (the arithmetic per element is
// the same; what the step costs is memory traffic, which two ranks on one memory system share).
using static TorchSharp.torch;

namespace Pharos.Training.Optimizers;

public sealed record AdamWRule(double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8, double WeightDecay = 0.01)
{
    /// <summary>Elements per block: weight, gradient, both moments and the denominator (5 × 1 MiB of float32) fit a
    /// last-level cache shared by two ranks with room to spare, and 110M weights are ~430 blocks (~3,500 op calls).</summary>
    public const long BlockElements = 1L << 18;

    /// <param name="weight">float32 weight or master copy, updated in place</param>
    /// <param name="grad">the gradient; when <paramref name="gradScale"/> ≠ 1 it is multiplied by it in place first
    /// (gradient clipping folded into the update's pass, with the arithmetic of clipping beforehand)</param>
    /// <param name="step">the update's 1-based count (bias corrections)</param>
    public void Apply(Tensor weight, Tensor grad, Tensor expAvg, Tensor expAvgSq, double lr, bool decay, long step, double gradScale = 1)
    {
        long n = weight.numel();
        bool blockable = n > BlockElements && weight.is_contiguous() && grad.is_contiguous() && expAvg.is_contiguous() && expAvgSq.is_contiguous();
        if (!blockable)
        {
            ApplyBlock(weight, grad, expAvg, expAvgSq, lr, decay, step, gradScale);
            return;
        }
        using var w = weight.view(-1);
        using var g = grad.view(-1);
        using var m = expAvg.view(-1);
        using var v = expAvgSq.view(-1);
        for (long start = 0; start < n; start += BlockElements)
        {
            long len = Math.Min(BlockElements, n - start);
            using var wb = w.narrow(0, start, len);
            using var gb = g.narrow(0, start, len);
            using var mb = m.narrow(0, start, len);
            using var vb = v.narrow(0, start, len);
            ApplyBlock(wb, gb, mb, vb, lr, decay, step, gradScale);
        }
    }

    void ApplyBlock(Tensor weight, Tensor grad, Tensor expAvg, Tensor expAvgSq, double lr, bool decay, long step, double gradScale)
    {
        double bc1 = 1 - Math.Pow(Beta1, step);
        double bc2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, step));
        using var scope = NewDisposeScope();
        if (gradScale != 1) grad.mul_(gradScale);
        var g = grad.dtype == float32 ? grad : grad.to(float32);
        if (decay && WeightDecay != 0) weight.mul_(1 - lr * WeightDecay);
        expAvg.lerp_(g, 1 - Beta1);
        expAvgSq.mul_(Beta2).addcmul_(g, g, 1 - Beta2);
        var denom = expAvgSq.sqrt().div_(bc2Sqrt).add_(Eps);
        weight.addcdiv_(expAvg, denom, -lr / bc1);
    }
}
