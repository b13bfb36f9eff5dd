// AdamW written out so its state (step, moments) is plain tensors we checkpoint by name, and its arithmetic is PyTorch's
// single-tensor AdamW step for step (decoupled decay, bias corrections, eps outside the sqrt).
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pharos.Training.Optimizers;

public sealed class AdamW : IDisposable
{
    public sealed class Slot
    {
        public required string Name { get; init; }
        public required Parameter Param { get; init; }
        public required bool Decay { get; init; }
        public required Tensor ExpAvg { get; init; }
        public required Tensor ExpAvgSq { get; init; }
        /// <summary>float32 master copy of a bf16/fp16 parameter (null for float32 ones): updates smaller than a
        /// bf16 step would otherwise be rounded away.</summary>
        public Tensor? Master { get; init; }
    }

    readonly double beta1, beta2, eps, weightDecay;

    public AdamW(IEnumerable<(string Name, Parameter Param)> parameters, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0.01, Func<string, Parameter, bool>? decays = null)
    {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        decays ??= DefaultDecays;
        Slots = parameters.Select(p => new Slot
        {
            Name = p.Name,
            Param = p.Param,
            Decay = decays(p.Name, p.Param),
            // Moments in float32 even for bf16 weights: bf16 moments lose the small updates.
            ExpAvg = zeros_like(p.Param, dtype: float32),
            ExpAvgSq = zeros_like(p.Param, dtype: float32),
            Master = p.Param.dtype == float32 ? null : p.Param.detach().to(float32).clone(),
        }).ToList();
    }

    public IReadOnlyList<Slot> Slots { get; }
    public long Step { get; set; }

    /// <summary>Norm gains and biases (any tensor under 2 dimensions) get no weight decay, as in transformers' Trainer.</summary>
    public static bool DefaultDecays(string name, Parameter p) => p.dim() >= 2;

    public void ZeroGrad()
    {
        foreach (var s in Slots) s.Param.grad = null;
    }

    public void Update(double lr)
    {
        Step++;
        double bc1 = 1 - Math.Pow(beta1, Step);
        double bc2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, Step));
        using var noGrad = no_grad();
        foreach (var s in Slots)
        {
            var grad = s.Param.grad;
            if (grad is null) continue;
            using var scope = NewDisposeScope();
            var p32 = s.Master ?? s.Param;
            var g = grad.dtype == float32 ? grad : grad.to(float32);
            if (s.Decay && weightDecay != 0) p32.mul_(1 - lr * weightDecay);
            s.ExpAvg.lerp_(g, 1 - beta1);
            s.ExpAvgSq.mul_(beta2).addcmul_(g, g, 1 - beta2);
            var denom = (s.ExpAvgSq.sqrt() / bc2Sqrt).add_(eps);
            p32.addcdiv_(s.ExpAvg, denom, -lr / bc1);
            if (s.Master is not null) s.Param.copy_(s.Master);
        }
    }

    public void Dispose()
    {
        foreach (var s in Slots) { s.ExpAvg.Dispose(); s.ExpAvgSq.Dispose(); s.Master?.Dispose(); }
    }
}
