// SparseLoRA under the preference objectives on tiny-llama: DPO/WPO at sparsity 0 is LoRA's DPO (the wrapper keeps the pair
// units); the adapters-off reference is the dense frozen base even inside a sparse forward; both completions of a pair and
// GRPO's completion positions are the dense answer rows; GRPO's rollouts (generation, old and reference log-probs) are dense.
using System.Text.Json.Nodes;
using Pharos.Models.Transformer;
using Pharos.Tests;
using Pharos.Training.Adapters.SparseLora;
using Pharos.Training.Checkpoints;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives;
using Pharos.Training.Objectives.Dpo;
using Pharos.Training.Objectives.Grpo;
using Pharos.Training.Optimizers;
using Pharos.Training.Rewards;
using Pharos.Training.Tests.Dpo;
using static Pharos.Training.Tests.SparseLora.SparseLoraHarness;
using static TorchSharp.torch;
using LoraApi = Pharos.Training.Adapters.Lora;
using SparseLoraApi = Pharos.Training.Adapters.SparseLora.SparseLora;

namespace Pharos.Training.Tests.SparseLora;

public class PreferenceTests
{
    sealed class Lowercase : IRewardFunction
    {
        public string Name => "lowercase";
        public double? Score(RewardInput input) => input.Completion.Length == 0 ? 0 : input.Completion.Count(char.IsAsciiLetterLower) / (double)input.Completion.Length;
    }

    static List<PackedSequence> Pairs(int count)
    {
        var rng = new Random(3);
        int[] Seq(int n) => Enumerable.Range(0, n).Select(_ => rng.Next(3, 290)).ToArray();
        return Enumerable.Range(0, count).Select(_ => DpoReferenceTests.Pair(Seq(7), Seq(5), Seq(6))).ToList();
    }

    static List<PackedSequence> Prompts() => Enumerable.Range(0, 4).Select(i =>
    {
        var ids = new[] { 1, 10 + i, 20 + i, 30, 40 + i, 50 };
        return new PackedSequence(ids, new bool[6], new int[6], [0, 1, 2, 3, 4, 5]) { Record = new JsonObject() };
    }).ToList();

    static DpoObjective Wpo() => new(new SigmoidLoss(), new AdapterOffReference(), beta: 0.1, useWeighting: true);

    static TrainerOptions Options(int steps) => new()
    {
        MaxSteps = steps, MicroBatchSize = 2, GradientAccumulation = 2, LearningRate = 2e-2, Schedule = DecayShape.Constant, SaveEvery = 0, Seed = 5,
    };

    /// <summary>tiny-llama with SparseLoRA on the given schedule (dropout from <paramref name="rng"/>, as StageRunner wires it).</summary>
    static (CausalLM Model, SparseLoraContext Context) Sparse(SparsitySchedule schedule, Generator rng, bool denseOutputs = true)
    {
        var model = Load("llama");
        var options = new SparseLoraOptions { Schedule = schedule, DenseOutputTokens = denseOutputs };
        var estimators = schedule.IsDense ? new Dictionary<string, LowRankFactors>() : Estimators(model);
        return (model, SparseLoraApi.Apply(model, LoraOpts, options, estimators, seed: 3, rng));
    }

    [Fact]
    public void The_wrapper_forwards_every_objective_member()
    {
        // A default interface member left unforwarded silently changes the wrapped objective (DPO normalised by tokens, GRPO
        // micro-batches skipped, GRPO's reused batches redrawn): each must be the wrapper's own.
        var map = typeof(SparseLoraObjective).GetInterfaceMap(typeof(IObjective));
        foreach (var (member, target) in map.InterfaceMethods.Zip(map.TargetMethods))
            Assert.True(target.DeclaringType == typeof(SparseLoraObjective), $"IObjective.{member.Name} is not forwarded");
    }

    [Fact]
    public void Grpo_with_sparsity_zero_equals_lora_across_reused_batches()
    {
        using var dir = new TempDir();
        var options = Options(3) with { GradientAccumulation = 1, LearningRate = 1e-2 };
        var loraRng = new Generator(4);
        using var lora = Load("llama");
        LoraApi.Apply(lora, LoraOpts, seed: 3, loraRng);
        using var loraObjective = new GrpoObjective(Sampler(Grpo()), Grpo(), seed: 9);
        var expected = new Trainer(lora, loraObjective, options, new CheckpointStore(dir.File("lora")), [], rng: loraRng).Run(new SequenceDataset(Prompts(), 9), []);
        var rng = new Generator(4);
        var (model, context) = Sparse(SparsitySchedule.Dense(3), rng);
        using var _ = model;
        using var objective = new GrpoObjective(Sampler(Grpo()), Grpo(), seed: 9);
        var actual = new Trainer(model, new SparseLoraObjective(objective, context), options, new CheckpointStore(dir.File("sparse")), [], rng: rng) { StepHook = context }
            .Run(new SequenceDataset(Prompts(), 9), []);
        // num_iterations 2: step 1 reuses step 0's prompts, step 2 draws the next ones; a wrapper that redrew on step 1
        // would shift every later batch.
        Assert.Equal(expected.Losses.Count, actual.Losses.Count);
        foreach (var (step, (e, a)) in expected.Losses.Zip(actual.Losses).Index()) AllClose.Equal(e, a, rtol: 1e-5, atol: 1e-6, $"loss of step {step}");
    }

    [Fact]
    public void Dpo_with_sparsity_zero_equals_lora()
    {
        using var dir = new TempDir();
        var pairs = Pairs(8);
        var loraRng = new Generator(4);
        using var lora = Load("llama");
        LoraApi.Apply(lora, LoraOpts, seed: 3, loraRng);
        var expected = new Trainer(lora, Wpo(), Options(3), new CheckpointStore(dir.File("lora")), [], rng: loraRng).Run(new SequenceDataset(pairs, 5), []);
        // preset none (the dense path) and every channel kept through the sliced path with the pairs' answer rows announced.
        foreach (var (name, schedule) in new[] { ("none", SparsitySchedule.Dense(3)), ("all kept", SparsitySchedule.Uniform(3, 1e-9, 1e-9)) })
        {
            var rng = new Generator(4);
            var (model, context) = Sparse(schedule, rng);
            using var _ = model;
            var trainer = new Trainer(model, new SparseLoraObjective(Wpo(), context), Options(3), new CheckpointStore(dir.File(name)), [], rng: rng) { StepHook = context };
            var actual = trainer.Run(new SequenceDataset(pairs, 5), []);
            Assert.Equal(expected.Losses.Count, actual.Losses.Count);
            foreach (var (step, (e, a)) in expected.Losses.Zip(actual.Losses).Index()) AllClose.Equal(e, a, rtol: 1e-5, atol: 1e-6, $"{name}: loss of step {step}");
            // After AdamW steps at lr 2e-2: Adam divides by √v, so the sliced path's different summation order (float
            // noise in near-zero gradients) reaches the weights as up to ~2e-4 of their scale (MKL_CBWR=COMPATIBLE).
            foreach (var ((pn, pa), (_, pb)) in lora.named_parameters().Zip(model.named_parameters()))
                AllClose.EqualAtScale(pa, pb, rtol: 1e-4, atolOfScale: 1e-3, $"{name}: {pn}");
        }
    }

    [Fact]
    public void Dpo_steps_run_sparse_with_both_completions_dense()
    {
        using var dir = new TempDir();
        var pairs = Pairs(8);
        var rng = new Generator(4);
        var (model, context) = Sparse(SparsitySchedule.Uniform(3, 0.75, 0.5), rng);
        using var _ = model;
        var sink = new RecordingMetricsSink();
        var result = new Trainer(model, new SparseLoraObjective(Wpo(), context), Options(4), new CheckpointStore(dir.File("ckpt")), [sink], rng: rng) { StepHook = context }
            .Run(new SequenceDataset(pairs, 5), []);
        Assert.Equal(4, result.Steps);
        Assert.All(result.Losses, l => Assert.True(double.IsFinite(l)));
        var sparseSteps = sink.Rows.Where(r => r.ContainsKey("sparselora/flop_reduction")).ToList();
        Assert.NotEmpty(sparseSteps);
        Assert.All(sparseSteps, r => Assert.True(r["sparselora/flop_reduction"] > 1.05));

        // The pairs' answer rows are their chosen and rejected completions: making every token sparse does strictly fewer FLOPs.
        var (allSparse, allContext) = Sparse(SparsitySchedule.Uniform(3, 0.75, 0.5), new Generator(4), denseOutputs: false);
        using var __ = allSparse;
        using var batch = BatchBuilder.Build(pairs.Take(2).ToList(), 0, CPU);
        double Kept(CausalLM m, SparseLoraContext c)
        {
            m.train();
            c.BeginStep(1);
            using var scope = NewDisposeScope();
            new SparseLoraObjective(Wpo(), c).Loss(m, batch);
            return c.Flops.Actual / c.Flops.Dense;
        }
        double denseAnswers = Kept(model, context), sparseAnswers = Kept(allSparse, allContext);
        Assert.True(denseAnswers > sparseAnswers + 0.05, $"flops kept {denseAnswers} (completions dense) vs {sparseAnswers} (all sparse)");
    }

    [Fact]
    public void Adapter_off_reference_is_the_dense_frozen_base_inside_a_sparse_forward()
    {
        var pairs = Pairs(2);
        using var batch = BatchBuilder.Build(pairs, 0, CPU);
        using var plain = Load("llama");
        plain.train();
        using var expected = NoGradLogProbs(plain, batch);
        var (model, context) = Sparse(SparsitySchedule.Uniform(3, 0.75, 0.5), new Generator(4));
        using var _ = model;
        RandomizeB(model);
        model.train();
        context.BeginForward(batch.InputIds.numel(), null, null); // every row sparse: the reference must ignore that
        using var actual = new AdapterOffReference().LogProbs(model, batch);
        context.EndForward();
        AllClose.EqualAtScale(expected.Sum, actual, rtol: 1e-5, atolOfScale: 1e-6, "reference log-probs");
        // And the policy itself is not the base (B ≠ 0), so the comparison is not vacuous.
        using var policy = NoGradLogProbs(model, batch);
        Assert.True((policy.Sum - actual).abs().max().item<float>() > 1e-3);
    }

    static PairLogProbs NoGradLogProbs(CausalLM model, Batch batch)
    {
        using var noGrad = no_grad();
        return PairLogProbs.Compute(model, batch, wpo: false);
    }

    static RolloutSampler Sampler(GrpoOptions options) =>
        new(new CharTokenizer(), new RewardSet([new(new Lowercase(), 1.0)]), options, reference: null, log: null);

    static GrpoOptions Grpo() => new() { NumGenerations = 4, MaxCompletionLength = 6, Temperature = 1.0, LossType = "dapo", Beta = 0.02, NumIterations = 2 };

    [Fact]
    public void Grpo_rollouts_are_dense()
    {
        using var lora = Load("llama");
        LoraApi.Apply(lora, LoraOpts, seed: 3, new Generator(4));
        RandomizeB(lora);
        var (sparse, context) = Sparse(SparsitySchedule.Uniform(3, 0.75, 0.5), new Generator(4));
        using var _ = sparse;
        RandomizeB(sparse);
        lora.train();
        sparse.train();
        using var batch = BatchBuilder.Build(Prompts(), 0, CPU);
        using var a = Sampler(Grpo()).Sample(lora, batch, seed: 7, step: 0);
        context.BeginForward(batch.InputIds.numel(), null, null);
        using var b = Sampler(Grpo()).Sample(sparse, batch, seed: 7, step: 0);
        context.EndForward();
        Assert.True(sparse.training); // the sampler restores training mode after its eval-mode generation
        Assert.Equal(a.CompletionIds.data<long>().ToArray(), b.CompletionIds.data<long>().ToArray());
        AllClose.EqualAtScale(a.OldLogp!, b.OldLogp!, rtol: 1e-5, atolOfScale: 1e-6, "old log-probs (policy, eval mode)");
        AllClose.EqualAtScale(a.RefLogp!, b.RefLogp!, rtol: 1e-5, atolOfScale: 1e-6, "reference log-probs (adapters off)");
    }

    [Fact]
    public void Grpo_steps_run_sparse_with_completion_positions_dense()
    {
        using var dir = new TempDir();
        IReadOnlyList<IReadOnlyDictionary<string, double>> Run(bool denseOutputs, string name)
        {
            var rng = new Generator(4);
            var (model, context) = Sparse(SparsitySchedule.Uniform(3, 0.75, 0.5), rng, denseOutputs);
            using var _ = model;
            var sink = new RecordingMetricsSink();
            using var objective = new GrpoObjective(Sampler(Grpo()), Grpo(), seed: 9);
            var options = Options(3) with { GradientAccumulation = 1, LearningRate = 1e-2 };
            var result = new Trainer(model, new SparseLoraObjective(objective, context), options, new CheckpointStore(dir.File(name)), [sink], rng: rng) { StepHook = context }
                .Run(new SequenceDataset(Prompts(), 9), []);
            Assert.Equal(3, result.Steps);
            Assert.All(result.Losses, l => Assert.True(double.IsFinite(l)));
            return sink.Rows.Where(r => r.ContainsKey("sparselora/flops_kept")).ToList();
        }
        var dense = Run(true, "dense-outputs");
        var sparse = Run(false, "all-sparse");
        Assert.Equal(3, dense.Count);
        Assert.All(dense, r => Assert.True(r["sparselora/flop_reduction"] > 1.05));
        // Step 0 samples the same completions in both runs (generation is dense); keeping the scored completion positions
        // dense must cost FLOPs, which it would not if the wrapper missed GRPO's prompt+completion forward.
        Assert.True(dense[0]["sparselora/flops_kept"] > sparse[0]["sparselora/flops_kept"] + 0.05,
            $"flops kept {dense[0]["sparselora/flops_kept"]} (completions dense) vs {sparse[0]["sparselora/flops_kept"]} (all sparse)");
    }
}
