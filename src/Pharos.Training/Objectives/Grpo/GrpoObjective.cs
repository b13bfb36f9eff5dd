// GRPO (stage: grpo) as an objective in the shared Trainer loop: the unit is a prompt (dapo: a completion token). Each
// micro-batch of prompts is turned into a Rollout (sampled, scored, advantages) before the step's first loss and reused
// for num_iterations steps; the loss is the clipped surrogate (+ k3 KL when beta > 0) reduced by the chosen loss_type.
// With several ranks each samples its own micro-batches (a group never spans ranks); scale_rewards: batch takes its std
// over the whole step on all ranks, and dapo's token count is summed over ranks by the Trainer like every unit count.
using System.Diagnostics;
using Pharos.Models.Transformer;
using Pharos.Training.Datasets;
using Pharos.Training.Distributed;
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Grpo;

public sealed class GrpoObjective : IObjective, IAnnouncesLossPositions, IDisposable
{
    readonly RolloutSampler sampler;
    readonly GrpoOptions options;
    readonly IGrpoLoss loss;
    readonly long seed;
    readonly DataParallel parallel;
    readonly Dictionary<Batch, Rollout> rollouts = new(ReferenceEqualityComparer.Instance);
    int step, sampledAt = -1;

    public GrpoObjective(RolloutSampler sampler, GrpoOptions options, long seed, DataParallel? parallel = null)
    {
        options.Validate();
        this.parallel = parallel ?? DataParallel.None;
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
        var fresh = new List<Rollout>();
        foreach (var batch in microBatches)
        {
            if (rollouts.ContainsKey(batch)) continue;
            // Seeded by the micro-batch's slot in the whole step, so it samples the same on any rank and world size.
            long s = Datasets.Seeds.Derive(seed, "grpo-sample", step * 1024L + batch.Slot);
            fresh.Add(rollouts[batch] = sampler.Sample(model, batch, s, step));
            sampledAt = step;
        }
        if (options.ScaleRewards == "batch" && fresh.Count > 0) ScaleByStepStd(fresh);
    }

    /// <summary>Divides the group-centred advantages by the unbiased std of every reward sampled this step on every rank
    /// (TRL's scale_rewards: batch over the whole generation batch).</summary>
    void ScaleByStepStd(List<Rollout> fresh)
    {
        using var scope = NewDisposeScope();
        var rewards = cat(fresh.Select(r => r.Rewards).ToArray()).to(float64);
        var totals = parallel.Sum(rewards.sum().item<double>(), rewards.numel());
        if (totals[1] < 2) return;
        double mean = totals[0] / totals[1];
        double squares = parallel.Sum((rewards - mean).square().sum().item<double>())[0];
        double std = Math.Sqrt(squares / (totals[1] - 1));
        foreach (var r in fresh) r.Advantages.div_(std + Advantages.Eps);
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
