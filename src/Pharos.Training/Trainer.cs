// The one training loop, shared by every objective: accumulation with loss normalised over the whole step, clipping,
// AdamW with schedule, eval loss, metrics sinks, progress, and checkpoints that resume exactly. Several ranks run the
// same loop; DataParallel is asked at fixed points (start: rank 0's weights; each step: this rank's micro-batches, the
// step's summed units, gradients after the last backward, metrics at the end) and only rank 0 writes.
using System.Diagnostics;
using Pharos.Models.Errors;
using Pharos.Models.Kernels;
using Pharos.Models.Transformer;
using Pharos.Training.Checkpoints;
using Pharos.Training.Datasets;
using Pharos.Training.Distributed;
using Pharos.Training.Logging;
using Pharos.Training.Objectives;
using Pharos.Training.Optimizers;
using Pharos.Training.Precision;
using static TorchSharp.torch;

namespace Pharos.Training;

public sealed record TrainResult(int Steps, double LastLoss, double? EvalLoss, IReadOnlyList<double> Losses, long Tokens, TimeSpan Elapsed, string? LastCheckpoint)
{
    /// <summary>Bytes of optimizer state this rank held (a sharded optimizer holds its shard only).</summary>
    public long OptimizerStateBytes { get; init; }
}

public sealed class Trainer
{
    const string LossKey = "\u0000loss", TokensKey = "\u0000tokens"; // reduced with the objective's metrics, never logged

    readonly CausalLM model;
    readonly IObjective objective;
    readonly TrainerOptions options;
    readonly CheckpointStore checkpoints;
    readonly IReadOnlyList<IMetricsSink> sinks;
    readonly ITrainingObserver observer;
    readonly Generator? rng;
    readonly int padId;

    /// <param name="rng">the generator behind dropout (LoRA), checkpointed with the run; null when nothing random happens</param>
    public Trainer(CausalLM model, IObjective objective, TrainerOptions options, CheckpointStore checkpoints,
        IReadOnlyList<IMetricsSink> sinks, ITrainingObserver? observer = null, Generator? rng = null, int padId = 0)
    {
        this.model = model;
        this.objective = objective;
        this.options = options;
        this.checkpoints = checkpoints;
        this.sinks = sinks;
        this.observer = observer ?? NullObserver.Instance;
        this.rng = rng;
        this.padId = padId;
    }

    /// <summary>Told when each step begins and ends; its scalars are logged with the step's (SparseLoRA's warm-up and FLOPs).</summary>
    public IStepHook? StepHook { get; init; }

    /// <summary>The ranks this run is spread over (one process unless the stage was launched by mpirun/srun).</summary>
    public DataParallel Parallel { get; init; } = DataParallel.None;

    public TrainResult Run(ITrainingRows train, IReadOnlyList<PackedSequence> eval, string? resumeFrom = null)
    {
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToList();
        if (trainable.Count == 0) throw new InvalidOperationException("the model has no trainable parameters");
        Parallel.BroadcastFromWriter(trainable.Select(t => (Tensor)t.parameter));
        using IOptimizer optimizer = options.ShardOptimizer
            ? new ShardedAdamW(trainable, Parallel, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay)
            : new AdamW(trainable, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay, parallel: Parallel);
        var schedule = new LrSchedule(options.LearningRate, options.WarmupSteps, options.MaxSteps, options.Schedule, options.MinLrRatio);
        options.Precision?.Apply(model);
        var fingerprint = ModelFingerprint.Of(model, options.Method, PrecisionPolicy.NameOf(options.Precision, model));
        int step = 0;
        long tokensSeen = 0;
        if (resumeFrom is not null)
        {
            var state = CheckpointStore.Load(resumeFrom, optimizer, rng, fingerprint);
            step = state.Step;
            tokensSeen = state.TokensSeen;
            if (step < options.MaxSteps && !objective.DrawsNewBatch(step))
                throw new PharosException($"{resumeFrom}: refusing to resume: step {step} is inside a group of steps that train on " +
                    "one batch's completions (GRPO num_iterations), which this checkpoint does not hold; resume from a checkpoint " +
                    "saved at the end of a group (every checkpoint but a run's last one is)");
            train.Seek(state.Cursor);
            observer.Message($"resumed from {resumeFrom} at step {step}");
        }
        observer.Started(step, options.MaxSteps);
        model.train();
        var losses = new List<double>();
        double lastLoss = double.NaN;
        double? evalLoss = null;
        string? lastCheckpoint = null;
        var clock = Stopwatch.StartNew();
        int firstStep = step;
        List<Batch>? previous = null;
        bool saveDue = false;
        while (step < options.MaxSteps)
        {
            var stepClock = Stopwatch.StartNew();
            double lr = schedule.At(step);
            objective.BeginStep(step);
            StepHook?.BeginStep(step);
            // A step that reuses the previous batches (GRPO num_iterations) draws nothing; a resumed run starts where a step
            // draws (checkpoints are written only there).
            if (previous is null || objective.DrawsNewBatch(step))
            {
                foreach (var b in previous ?? []) b.Dispose();
                previous = Parallel.TakeSlice(options.GradientAccumulation, options.MicroBatchSize, train)
                    .Select(m => BatchBuilder.Build(m.Rows, padId, model.Device, m.Slot)).ToList();
            }
            var micro = previous;
            objective.PrepareStep(model, micro);
            // Summed over ranks before any loss is divided: every rank normalises by the whole step's units.
            long units = Parallel.Sum(micro.Sum(objective.UnitsOf));
            double lossSum = 0;
            var metricSums = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var batch in micro)
            {
                using var scope = NewDisposeScope();
                if (objective.UnitsOf(batch) == 0) continue;
                // Dropout masks depend on the step and the micro-batch, not on the rank that happens to compute it.
                rng?.manual_seed(Seeds.Derive(options.Seed, "dropout", step * 1024L + batch.Slot));
                var output = objective.Loss(model, batch);
                // Dividing by the step's total units makes accumulation equal to one big batch (no mean of means).
                (output.LossSum / units).backward();
                AutogradHandoff.Release(); // the last custom function's gradients (see AutogradHandoff)
                lossSum += output.LossSum.item<float>();
                foreach (var (key, value) in output.Metrics) metricSums[key] = metricSums.GetValueOrDefault(key) + value;
            }
            double gradNorm = optimizer.Apply(lr, options.MaxGradNorm);
            metricSums[LossKey] = lossSum;
            metricSums[TokensKey] = micro.Sum(b => b.Tokens);
            metricSums = Parallel.Sum(metricSums);
            lossSum = metricSums[LossKey];
            long tokens = (long)metricSums[TokensKey];
            metricSums.Remove(LossKey);
            metricSums.Remove(TokensKey);
            step++;
            tokensSeen += tokens;
            lastLoss = units == 0 ? double.NaN : lossSum / units;
            losses.Add(lastLoss);
            double seconds = stepClock.Elapsed.TotalSeconds;
            var elapsed = clock.Elapsed;
            var eta = TimeSpan.FromSeconds(elapsed.TotalSeconds / (step - firstStep) * (options.MaxSteps - step));
            var report = new StepReport(step, options.MaxSteps, lastLoss, lr, gradNorm, tokensSeen, tokens / Math.Max(seconds, 1e-9), elapsed, eta);
            var scalars = new Dictionary<string, double>
            {
                ["train/loss"] = lastLoss, ["train/lr"] = lr, ["train/grad_norm"] = gradNorm,
                ["train/tokens_per_second"] = report.TokensPerSecond, ["train/tokens"] = tokensSeen,
            };
            // Objective metrics arrive summed over units; the step's mean is what users compare (rewards/accuracies…).
            foreach (var (key, value) in metricSums) scalars["train/" + key] = units == 0 ? double.NaN : value / units;
            foreach (var (key, value) in StepHook?.EndStep(Parallel.Sum) ?? new Dictionary<string, double>()) scalars[key] = value;
            Write(step, scalars);
            observer.StepDone(report);

            bool last = step == options.MaxSteps;
            if (eval.Count > 0 && (last || (options.EvalEvery > 0 && step % options.EvalEvery == 0)))
            {
                evalLoss = EvalLoss(eval);
                Write(step, new Dictionary<string, double> { ["eval/loss"] = evalLoss.Value });
                observer.Evaluated(step, evalLoss.Value);
            }
            // A checkpoint is written only where the next step draws new batches: steps that reuse a batch (GRPO
            // num_iterations) train on completions sampled with earlier weights, which a checkpoint could not replay, so a
            // save that falls inside such a group waits for its end. The last step is always saved (nothing follows it).
            if (options.SaveEvery > 0 && step % options.SaveEvery == 0) saveDue = true;
            if (last || (saveDue && objective.DrawsNewBatch(step)))
            {
                saveDue = false;
                var state = new TrainerState(step, train.Cursor, optimizer.Step, options.Seed, fingerprint, tokensSeen);
                lastCheckpoint = checkpoints.Save(optimizer, rng, state);
                if (checkpoints.Writes) observer.Checkpointed(step, lastCheckpoint);
            }
        }
        foreach (var b in previous ?? []) b.Dispose();
        model.eval();
        return new TrainResult(step, lastLoss, evalLoss, losses, tokensSeen, clock.Elapsed, lastCheckpoint) { OptimizerStateBytes = optimizer.StateBytes };
    }

    /// <summary>Mean loss per unit over the eval rows, without dropout or gradients; the ranks share the rows and sum.</summary>
    public double EvalLoss(IReadOnlyList<PackedSequence> eval)
    {
        bool wasTraining = model.training;
        model.eval();
        double sum = 0;
        long units = 0;
        using (no_grad())
        {
            int chunk = options.MicroBatchSize;
            for (int i = Parallel.Rank * chunk; i < eval.Count; i += chunk * Parallel.Size)
            {
                using var scope = NewDisposeScope();
                using var batch = BatchBuilder.Build(eval.Skip(i).Take(chunk).ToList(), padId, model.Device);
                if (objective.UnitsOf(batch) == 0) continue;
                var output = objective.Loss(model, batch);
                sum += output.LossSum.item<float>();
                units += output.Units;
            }
        }
        if (wasTraining) model.train();
        var total = Parallel.Sum(sum, units);
        return total[1] == 0 ? double.NaN : total[0] / total[1];
    }

    void Write(int step, IReadOnlyDictionary<string, double> scalars)
    {
        foreach (var sink in sinks) sink.Write(step, scalars);
    }
}
