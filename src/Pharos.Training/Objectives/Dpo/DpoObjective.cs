// DPO and WPO (stage: dpo) as one objective in the shared Trainer loop: the unit is a pair; the loss variant, the
// reference source and WPO's weighting are plugged in. Logs TRL's rewards/* metrics and the mean WPO weight.
using Pharos.Models.Transformer;
using Pharos.Training.Datasets;
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Dpo;

public sealed class DpoObjective : IObjective
{
    readonly IPreferenceLoss loss;
    readonly IReferenceLogProbs reference;
    readonly double beta, labelSmoothing, rpoAlpha;
    readonly bool useWeighting;

    /// <param name="beta">strength of the KL penalty to the reference (TRL default 0.1)</param>
    /// <param name="labelSmoothing">probability that a pair's preference is flipped (conservative DPO; sigmoid only)</param>
    /// <param name="rpoAlpha">weight of an NLL term on the chosen completion (RPO); 0 = off. Per pair it is the mean NLL per
    /// chosen token, so with equal-length chosen completions it equals TRL's batch-token mean.</param>
    /// <param name="useWeighting">WPO: multiply each pair's loss by min(1, w(x,y_w)·w(x,y_l)), computed without gradient</param>
    public DpoObjective(IPreferenceLoss loss, IReferenceLogProbs reference, double beta = 0.1, double labelSmoothing = 0,
        double rpoAlpha = 0, bool useWeighting = false)
    {
        if (beta <= 0) throw new ArgumentOutOfRangeException(nameof(beta), "dpo.beta must be > 0");
        if (labelSmoothing is < 0 or >= 0.5) throw new ArgumentOutOfRangeException(nameof(labelSmoothing), "dpo.label_smoothing must be in [0, 0.5)");
        this.loss = loss;
        this.reference = reference;
        this.beta = beta;
        this.labelSmoothing = labelSmoothing;
        this.rpoAlpha = rpoAlpha;
        this.useWeighting = useWeighting;
    }

    public string Name => useWeighting ? "wpo" : "dpo";

    public long UnitsOf(Batch batch) => batch.InputIds.shape[0];

    public ObjectiveOutput Loss(CausalLM model, Batch batch)
    {
        using var scope = NewDisposeScope();
        var refSum = reference.LogProbs(model, batch);
        using var policy = PairLogProbs.Compute(model, batch, useWeighting);
        var count = policy.Count.clamp_min(1);
        var pi = loss.AveragesLogProbs ? policy.Sum / count : policy.Sum;
        var rf = loss.AveragesLogProbs ? refSum / count : refSum;
        var pc = pi.select(1, 0);
        var pr = pi.select(1, 1);
        var rc = rf.select(1, 0);
        var rr = rf.select(1, 1);
        var logits = (pc - pr) - (rc - rr);
        var perPair = loss.Loss(logits, beta, labelSmoothing);
        Tensor? weights = null;
        if (useWeighting)
        {
            // TRL caps the product at 1: weights only ever shrink a pair's loss.
            weights = policy.WpoMean!.sum(1).exp().clamp_max(1.0).detach();
            perPair = perPair * weights;
        }
        if (rpoAlpha > 0) perPair = perPair + rpoAlpha * (-policy.Sum.select(1, 0) / count.select(1, 0));

        var lossSum = perPair.sum();
        using var noGrad = no_grad();
        var chosenRewards = (pc - rc).detach() * beta;
        var rejectedRewards = (pr - rr).detach() * beta;
        var metrics = new Dictionary<string, double>
        {
            ["rewards/chosen"] = Sum(chosenRewards),
            ["rewards/rejected"] = Sum(rejectedRewards),
            ["rewards/accuracies"] = Sum(chosenRewards.gt(rejectedRewards).to(float32)),
            ["rewards/margins"] = Sum(chosenRewards - rejectedRewards),
            ["logps/chosen"] = Sum(policy.Sum.select(1, 0).detach()),
            ["logps/rejected"] = Sum(policy.Sum.select(1, 1).detach()),
        };
        if (weights is not null) metrics["wpo/weight"] = Sum(weights);
        return new ObjectiveOutput(lossSum.MoveToOuterDisposeScope(), batch.InputIds.shape[0], metrics);
    }

    static double Sum(Tensor t) => t.sum().to(float64).item<double>();
}
