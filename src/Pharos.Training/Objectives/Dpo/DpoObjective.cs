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
    /// <param name="labelSmoothing">probability that a pair's preference is flipped (loss_type robust only)</param>
    /// <param name="rpoAlpha">weight of an NLL term on the chosen completions (RPO; TRL: loss_type [sigmoid, sft] with
    /// loss_weights [1, alpha]); 0 = off. The NLL is the mean over the micro-batch's chosen tokens, as TRL's sft term is.</param>
    /// <param name="useWeighting">WPO: multiply each pair's preference loss by w(x,y_w)·w(x,y_l), computed without gradient</param>
    public DpoObjective(IPreferenceLoss loss, IReferenceLogProbs reference, double beta = 0.1, double labelSmoothing = 0,
        double rpoAlpha = 0, bool useWeighting = false)
    {
        if (beta <= 0) throw new ArgumentOutOfRangeException(nameof(beta), "dpo.beta must be > 0");
        if (labelSmoothing is < 0 or >= 0.5) throw new ArgumentOutOfRangeException(nameof(labelSmoothing), "dpo.label_smoothing must be in [0, 0.5)");
        if (labelSmoothing > 0 && !loss.UsesLabelSmoothing)
            throw new ArgumentException($"dpo.label_smoothing applies to loss_type robust, not {loss.Name}", nameof(labelSmoothing));
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
            // TRL ≥ 1.0 multiplies the two weights without a cap (a confident completion's weight exceeds 1).
            weights = policy.WpoMean!.sum(1).exp().detach();
            perPair = perPair * weights;
        }
        // RPO: mean NLL over the micro-batch's chosen tokens, counted once per pair so the Trainer's division by pairs
        // leaves α·NLL. Not WPO-weighted: TRL multiplies its sft term by the weights too but fails doing so (in-place on
        // an expanded scalar), so there is no reference behaviour for the combination.
        if (rpoAlpha > 0) perPair = perPair + rpoAlpha * (-policy.Sum.select(1, 0).sum() / count.select(1, 0).sum());

        var lossSum = perPair.sum();
        using var noGrad = no_grad();
        // TRL's implicit rewards are β·(log πθ − log πref) of whole completions, whatever the loss averages.
        var chosenRewards = (policy.Sum.select(1, 0) - refSum.select(1, 0)).detach() * beta;
        var rejectedRewards = (policy.Sum.select(1, 1) - refSum.select(1, 1)).detach() * beta;
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
