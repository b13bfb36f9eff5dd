// GRPO (stage: grpo) as an objective in the shared Trainer loop: the unit is a prompt. Each micro-batch of prompts is
// turned into a Rollout (sampled, scored, advantages) and reused for num_iterations steps; the loss is the clipped
// surrogate (+ k3 KL when beta > 0) reduced by the chosen loss_type.
using System.Diagnostics;
using Pharos.Models.Transformer;
using Pharos.Training.Datasets;
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Grpo;

public sealed class GrpoObjective : IObjective, IAnnouncesLossPositions, IDisposable
{
    readonly RolloutSampler sampler;
    readonly GrpoOptions options;
    readonly IGrpoLoss loss;
    readonly long seed;
    readonly Dictionary<int, Rollout> rollouts = [];
    int step, slot;

    public GrpoObjective(RolloutSampler sampler, GrpoOptions options, long seed)
    {
        options.Validate();
        this.sampler = sampler;
        this.options = options;
        this.seed = seed;
        loss = GrpoLosses.ByName(options.LossType);
    }

    public string Name => "grpo";

    public Action<Tensor>? LossPositions { get; set; }

    public long UnitsOf(Batch batch) => batch.Rows.Count;

    public bool DrawsNewBatch(int step) => step % options.NumIterations == 0;

    public void BeginStep(int step)
    {
        this.step = step;
        slot = 0;
    }

    public ObjectiveOutput Loss(CausalLM model, Batch batch)
    {
        int mySlot = slot++;
        // With num_iterations μ, fresh completions every μ-th step; the steps between reuse them on the same prompts (the
        // Trainer repeats the batch, as TRL does, so no prompt is skipped). After a resume mid-cycle they are sampled afresh.
        if (step % options.NumIterations == 0 || !rollouts.ContainsKey(mySlot))
        {
            if (rollouts.Remove(mySlot, out var stale)) stale.Dispose();
            long s = Datasets.Seeds.Derive(seed, "grpo-sample", step * 1024L + mySlot);
            rollouts[mySlot] = sampler.Sample(model, batch, s, step);
        }
        var rollout = rollouts[mySlot];
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        if (LossPositions is not null) LossPositions(rollout.ScoredPositions());
        var logp = rollout.TokenLogProbs(model);
        var old = rollout.OldLogp ?? logp.detach();
        var terms = ClippedSurrogate.Compute(logp, old, rollout.Advantages, options.Epsilon, options.High, options.Beta, rollout.RefLogp);
        var mask = rollout.CompletionMask;
        var reduced = loss.Reduce(terms.PerToken, mask, options.MaxCompletionLength);
        long prompts = batch.Rows.Count;
        var lossSum = reduced * prompts;
        var metrics = new Dictionary<string, double>();
        using (no_grad())
        {
            double tokens = Math.Max(1, mask.sum().item<float>());
            metrics["clip_ratio"] = (terms.Clipped * mask).sum().item<float>() / tokens;
            if (terms.Kl is not null) metrics["kl"] = (terms.Kl.detach() * mask).sum().item<float>() / tokens;
        }
        bool fresh = step % options.NumIterations == 0;
        foreach (var (key, value) in rollout.Metrics)
            if (fresh || !key.StartsWith("time/", StringComparison.Ordinal)) metrics[key] = value;
        metrics["time/update_forward"] = clock.Elapsed.TotalSeconds;
        // The Trainer divides metric sums by the step's prompts: weigh each micro-batch's means by its prompts.
        var weighted = metrics.ToDictionary(m => m.Key, m => m.Value * prompts);
        return new ObjectiveOutput(lossSum.MoveToOuterDisposeScope(), prompts, weighted);
    }

    public void Dispose()
    {
        foreach (var r in rollouts.Values) r.Dispose();
        rollouts.Clear();
    }
}
