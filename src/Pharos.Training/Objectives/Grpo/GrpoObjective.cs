// GRPO (stage: grpo) as an objective in the shared Trainer loop: the unit is a prompt (dapo: a completion token). Each
// micro-batch of prompts is turned into a Rollout (sampled, scored, advantages) before the step's first loss and reused
// for num_iterations steps; the loss is the clipped surrogate (+ k3 KL when beta > 0) reduced by the chosen loss_type.
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
    readonly Dictionary<Batch, Rollout> rollouts = new(ReferenceEqualityComparer.Instance);
    int step, sampledAt = -1;

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

    /// <summary>Prompts, or with dapo the completion tokens of the batch's rollout (so the Trainer normalises by the step's).</summary>
    public long UnitsOf(Batch batch) => loss.NormalisesOverStepTokens ? RolloutOf(batch).CompletionTokens : batch.Rows.Count;

    public bool DrawsNewBatch(int step) => step % options.NumIterations == 0;

    public void BeginStep(int step) => this.step = step;

    /// <summary>Samples the completions of every micro-batch of the step (dense, in eval mode), seeded by step and position.
    /// With num_iterations μ the Trainer hands the same batches back for μ steps and their rollouts are reused; new batches
    /// (every μ-th step) get fresh ones. Rollouts are not checkpointed: the Trainer saves only before a μ-th step.</summary>
    public void PrepareStep(CausalLM model, IReadOnlyList<Batch> microBatches)
    {
        foreach (var stale in rollouts.Keys.Where(b => !microBatches.Any(m => ReferenceEquals(m, b))).ToList())
        {
            rollouts[stale].Dispose();
            rollouts.Remove(stale);
        }
        for (int slot = 0; slot < microBatches.Count; slot++)
        {
            var batch = microBatches[slot];
            if (rollouts.ContainsKey(batch)) continue;
            long s = Datasets.Seeds.Derive(seed, "grpo-sample", step * 1024L + slot);
            rollouts[batch] = sampler.Sample(model, batch, s, step);
            sampledAt = step;
        }
    }

    Rollout RolloutOf(Batch batch) => rollouts.TryGetValue(batch, out var r) ? r
        : throw new InvalidOperationException("GRPO: PrepareStep was not called with this micro-batch (the Trainer calls it before any loss)");

    public ObjectiveOutput Loss(CausalLM model, Batch batch)
    {
        var rollout = RolloutOf(batch);
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        if (LossPositions is not null) LossPositions(rollout.ScoredPositions());
        var (lossSum, units, terms) = RolloutLoss.Compute(model, rollout, batch.Rows.Count, options, loss);
        var mask = rollout.CompletionMask;
        var metrics = new Dictionary<string, double>();
        using (no_grad())
        {
            double tokens = Math.Max(1, mask.sum().item<float>());
            metrics["clip_ratio"] = (terms.Clipped * mask).sum().item<float>() / tokens;
            if (terms.Kl is not null) metrics["kl"] = (terms.Kl.detach() * mask).sum().item<float>() / tokens;
        }
        bool fresh = sampledAt == step;
        foreach (var (key, value) in rollout.Metrics)
            if (fresh || !key.StartsWith("time/", StringComparison.Ordinal)) metrics[key] = value;
        metrics["time/update_forward"] = clock.Elapsed.TotalSeconds;
        // The Trainer divides metric sums by the step's units: weigh each micro-batch's means by its units.
        var weighted = metrics.ToDictionary(m => m.Key, m => m.Value * units);
        return new ObjectiveOutput(lossSum.MoveToOuterDisposeScope(), units, weighted);
    }

    public void Dispose()
    {
        foreach (var r in rollouts.Values) r.Dispose();
        rollouts.Clear();
    }
}
