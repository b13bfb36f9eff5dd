// AdamW written out so its state (step, moments) is plain tensors we checkpoint by name, and its arithmetic is PyTorch's
// single-tensor AdamW step for step (AdamWRule). Every rank holds the whole state; gradients are summed over ranks in
// buckets before the update (DataParallel), so every rank makes the same update.
using Pharos.Training.Distributed;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pharos.Training.Optimizers;

public sealed class AdamW : IOptimizer
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

    readonly AdamWRule rule;
    readonly DataParallel parallel;

    public AdamW(IEnumerable<(string Name, Parameter Param)> parameters, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0.01, Func<string, Parameter, bool>? decays = null, DataParallel? parallel = null)
    {
        rule = new AdamWRule(beta1, beta2, eps, weightDecay);
        this.parallel = parallel ?? DataParallel.None;
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
        Parameters = Slots.Select(s => (s.Name, s.Param)).ToList();
    }

    public IReadOnlyList<Slot> Slots { get; }
    public IReadOnlyList<(string Name, Parameter Param)> Parameters { get; }
    public long Step { get; set; }

    /// <summary>Every parameter's moments (and master copy): the whole state on every rank.</summary>
    public long StateBytes => Slots.Sum(s => (s.ExpAvg.numel() + s.ExpAvgSq.numel() + (s.Master?.numel() ?? 0)) * sizeof(float));

    /// <summary>Norm gains and biases (any tensor under 2 dimensions) get no weight decay, as in transformers' Trainer.</summary>
    public static bool DefaultDecays(string name, Parameter p) => p.dim() >= 2;

    public void ZeroGrad()
    {
        foreach (var s in Slots) s.Param.grad = null;
    }

    public double Apply(double lr, double maxNorm)
    {
        // Each read of a parameter's .grad is a new tensor handle that keeps the gradient's memory alive until it is
        // disposed; without the scope those handles wait for the garbage collector, so every step's gradients stay
        // allocated beside the next step's (full fine-tuning of the ~110M Llama: ~440 MB more, faulted in afresh each step).
        using var scope = NewDisposeScope();
        var parameters = Slots.Select(s => s.Param).ToList();
        parallel.SumGradients(parameters);
        // Clipping's coefficient is applied as the update reads each gradient (one pass instead of a scaling pass first).
        double norm = GradientClipping.GlobalNorm(parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!).ToList());
        Update(lr, GradientClipping.Coefficient(norm, maxNorm));
        ZeroGrad();
        return norm;
    }

    /// <summary>One update from the gradients (no summing over ranks), each multiplied by <paramref name="gradScale"/>
    /// first (clipping's coefficient; 1 = as they are).</summary>
    public void Update(double lr, double gradScale = 1)
    {
        Step++;
        using var noGrad = no_grad();
        foreach (var s in Slots)
        {
            var grad = s.Param.grad;
            if (grad is null) continue;
            if (s.Master is null)
            {
                AdamWKernel.Update(rule, s.Param, grad, s.ExpAvg, s.ExpAvgSq, lr, s.Decay, Step, gradScale, s.Param.numel());
                continue;
            }
            rule.Apply(s.Master, grad, s.ExpAvg, s.ExpAvgSq, lr, s.Decay, Step, gradScale);
            s.Param.copy_(s.Master);
        }
    }

    public ParameterState Export(int index)
    {
        var s = Slots[index];
        return new ParameterState(s.Master ?? s.Param.detach(), s.ExpAvg, s.ExpAvgSq);
    }

    public void Import(int index, Tensor weight, Tensor expAvg, Tensor expAvgSq)
    {
        var s = Slots[index];
        using var noGrad = no_grad();
        s.Master?.copy_(weight);
        s.Param.copy_(weight);
        s.ExpAvg.copy_(expAvg);
        s.ExpAvgSq.copy_(expAvgSq);
    }

    public void Dispose()
    {
        foreach (var s in Slots) { s.ExpAvg.Dispose(); s.ExpAvgSq.Dispose(); s.Master?.Dispose(); }
    }
}
