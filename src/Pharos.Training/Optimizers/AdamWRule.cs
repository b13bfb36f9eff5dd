// AdamW's arithmetic on one float32 tensor, PyTorch's single-tensor step for step (decoupled decay, bias corrections,
// eps outside the sqrt): shared by the replicated AdamW and the sharded one, which applies it to slices of a flat shard.
using static TorchSharp.torch;

namespace Pharos.Training.Optimizers;

public sealed record AdamWRule(double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8, double WeightDecay = 0.01)
{
    /// <param name="weight">float32 weight or master copy, updated in place</param>
    /// <param name="step">the update's 1-based count (bias corrections)</param>
    public void Apply(Tensor weight, Tensor grad, Tensor expAvg, Tensor expAvgSq, double lr, bool decay, long step)
    {
        double bc1 = 1 - Math.Pow(Beta1, step);
        double bc2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, step));
        using var scope = NewDisposeScope();
        var g = grad.dtype == float32 ? grad : grad.to(float32);
        if (decay && WeightDecay != 0) weight.mul_(1 - lr * WeightDecay);
        expAvg.lerp_(g, 1 - Beta1);
        expAvgSq.mul_(Beta2).addcmul_(g, g, 1 - Beta2);
        var denom = (expAvgSq.sqrt() / bc2Sqrt).add_(Eps);
        weight.addcdiv_(expAvg, denom, -lr / bc1);
    }
}
