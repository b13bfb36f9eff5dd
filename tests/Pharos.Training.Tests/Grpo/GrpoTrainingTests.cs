// GRPO in the shared Trainer on tiny-llama with a simple verifiable reward (share of lowercase letters in the
// completion): a few dozen steps raise the mean reward with a fixed seed; resume replays the uninterrupted run exactly
// (with num_iterations too: checkpoints fall only between groups of steps that share completions);
// a reward that throws on some samples is counted, not fatal; sample completions land in JSONL.
using System.Text.Json.Nodes;
using Pharos.Models.Loading;
using Pharos.Models.Transformer;
using Pharos.Tests;
using Pharos.Training.Checkpoints;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives;
using Pharos.Training.Objectives.Grpo;
using Pharos.Training.Optimizers;
using Pharos.Training.Rewards;

namespace Pharos.Training.Tests.Grpo;

public class GrpoTrainingTests
{
    sealed class Lowercase : IRewardFunction
    {
        public string Name => "lowercase";
        public double? Score(RewardInput input) => input.Completion.Length == 0 ? 0 : input.Completion.Count(char.IsAsciiLetterLower) / (double)input.Completion.Length;
    }

    sealed class Throws : IRewardFunction
    {
        public string Name => "throws";
        public double? Score(RewardInput input) => input.Completion.Contains('z') ? throw new FormatException("z") : null;
    }

    static List<PackedSequence> Prompts() => Enumerable.Range(0, 4).Select(i =>
    {
        var ids = new[] { 1, 10 + i, 20 + i, 30 };
        return new PackedSequence(ids, new bool[4], new int[4], [0, 1, 2, 3]) { Record = new JsonObject { ["answer"] = "x" } };
    }).ToList();

    static (CausalLM, GrpoObjective) Setup(string dir, string lossType = "dapo", int iterations = 2)
    {
        var model = ModelLoader.Load(RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-llama"));
        var options = new GrpoOptions { NumGenerations = 8, MaxCompletionLength = 6, Temperature = 1.0, LossType = lossType, Beta = 0.02, NumIterations = iterations };
        var rewards = new RewardSet([new(new Lowercase(), 1.0), new(new Throws(), 1.0)]);
        var sampler = new RolloutSampler(new CharTokenizer(), rewards, options, reference: null, new CompletionLog(Path.Combine(dir, "completions.jsonl"), append: true));
        return (model, new GrpoObjective(sampler, options, seed: 9));
    }

    static TrainerOptions Options(int steps) => new()
    {
        MaxSteps = steps, MicroBatchSize = 2, GradientAccumulation = 1, LearningRate = 1e-2, Schedule = DecayShape.Constant, SaveEvery = 3, Seed = 9,
    };

    [Fact]
    public void A_few_dozen_grpo_steps_raise_the_mean_reward()
    {
        using var dir = new TempDir();
        var (model, objective) = Setup(dir.Path);
        using var _ = model;
        var sink = new RecordingMetricsSink();
        new Trainer(model, objective, Options(40) with { SaveEvery = 0 }, new CheckpointStore(dir.File("ckpt")), [sink]).Run(new SequenceDataset(Prompts(), 9), []);
        double first = sink.Rows.Take(8).Average(r => r["train/reward"]), last = sink.Rows.TakeLast(8).Average(r => r["train/reward"]);
        Assert.True(last > first + 0.1, $"mean reward {first:F3} -> {last:F3}");
        Assert.Contains(sink.Rows, r => r.ContainsKey("train/kl") && r.ContainsKey("train/clip_ratio") && r.ContainsKey("train/rewards/lowercase/mean"));
        Assert.True(File.ReadLines(dir.File("completions.jsonl")).Count() >= 40);
    }

    [Theory]
    [InlineData(1, new[] { 3, 6 })]
    [InlineData(2, new[] { 4, 6 })]
    public void Resumed_grpo_run_equals_uninterrupted_run(int iterations, int[] checkpoints)
    {
        // μ = 2: steps 2k and 2k+1 train on the completions sampled at step 2k with step 2k's weights. save_every 3 falls
        // inside the group {2, 3}, so that checkpoint waits for the group's end (step 4), where a resume samples afresh
        // exactly as the uninterrupted run does.
        using var dir = new TempDir();
        var (a, objA) = Setup(dir.Path, "grpo", iterations);
        var straight = new Trainer(a, objA, Options(6), new CheckpointStore(dir.File("a"), keepLast: 5), []).Run(new SequenceDataset(Prompts(), 9), []);
        var saved = new CheckpointStore(dir.File("a")).List();
        Assert.Equal(checkpoints, saved.Select(c => c.Step));
        var (b, objB) = Setup(dir.Path, "grpo", iterations);
        var resumed = new Trainer(b, objB, Options(6), new CheckpointStore(dir.File("b")), []).Run(new SequenceDataset(Prompts(), 9), [], saved[0].Path);
        Assert.Equal(straight.Losses.Skip(checkpoints[0]), resumed.Losses);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.data<float>().ToArray().SequenceEqual(pb.data<float>().ToArray()), $"{name} differs");
        a.Dispose();
        b.Dispose();
        objA.Dispose();
        objB.Dispose();
    }

    // As MemoryTests' for CPT: sampling the completions and scoring them hold no handle past a step. The objective keeps
    // its last rollout until it is disposed (num_iterations reuses it), so the count is taken after that.
    [Fact]
    public void Grpo_steps_leave_no_tensor_handle_alive()
    {
        var left = new List<long>();
        foreach (int steps in new[] { 2, 4 })
        {
            using var dir = new TempDir();
            var (model, objective) = Setup(dir.Path);
            using var _ = model;
            left.Add(LiveHandles.LeftBy(() =>
            {
                new Trainer(model, objective, Options(steps), new CheckpointStore(dir.File("ckpt")), []).Run(new SequenceDataset(Prompts(), 9), []);
                objective.Dispose();
            }));
        }
        Assert.Equal("0,0", string.Join(",", left));
    }

    [Fact]
    public void A_checkpoint_inside_a_num_iterations_group_is_refused_on_resume()
    {
        // The last step is always saved, even inside a group (5 steps, μ = 2); continuing it to more steps cannot replay
        // step 4's completions, so it refuses instead of silently sampling new ones.
        using var dir = new TempDir();
        var (a, objA) = Setup(dir.Path, "grpo", iterations: 2);
        using var _ = a;
        using var __ = objA;
        var last = new Trainer(a, objA, Options(5) with { SaveEvery = 0 }, new CheckpointStore(dir.File("a")), []).Run(new SequenceDataset(Prompts(), 9), []).LastCheckpoint!;
        var (b, objB) = Setup(dir.Path, "grpo", iterations: 2);
        using var ___ = b;
        using var ____ = objB;
        var e = Assert.Throws<Pharos.Models.Errors.PharosException>(() =>
            new Trainer(b, objB, Options(8), new CheckpointStore(dir.File("b")), []).Run(new SequenceDataset(Prompts(), 9), [], last));
        Assert.Contains("checkpoint-5", e.Message);
        Assert.Contains("num_iterations", e.Message);
    }

    [Fact]
    public void With_num_iterations_the_batch_is_repeated_so_no_prompt_is_skipped()
    {
        // One prompt per step (the log keeps a group's first completions). μ = 2 over 4 steps trains on the prompts that
        // μ = 1 trains on in its first 2 steps, each batch twice (TRL's
        // RepeatSampler); skipping would show the prompts of μ = 1's steps 1 and 3 instead.
        static List<(int Step, string Prompt)> Sampled(string folder, int iterations, int steps)
        {
            var (model, objective) = Setup(folder, "grpo", iterations);
            using var _ = model;
            using var __ = objective;
            new Trainer(model, objective, Options(steps) with { SaveEvery = 0, MicroBatchSize = 1 }, new CheckpointStore(Path.Combine(folder, "ckpt")), []).Run(new SequenceDataset(Prompts(), 9), []);
            return File.ReadLines(Path.Combine(folder, "completions.jsonl")).Select(l => JsonNode.Parse(l)!)
                .Select(n => ((int)n["step"]!, (string)n["prompt"]!)).Distinct().ToList();
        }
        using var dir = new TempDir();
        var once = Sampled(dir.File("once"), 1, 2);
        var twice = Sampled(dir.File("twice"), 2, 4);
        Assert.Equal([0, 2], twice.Select(s => s.Step).Distinct());
        Assert.Equal(once.Select(s => s.Prompt), twice.Select(s => s.Prompt));
        Assert.Equal(2, once.Select(s => s.Prompt).Distinct().Count());
    }

    [Fact]
    public void Dapo_counts_completion_tokens_as_units_so_accumulated_micro_batches_share_one_token_mean()
    {
        // Same seeds, same batches: the rollouts are identical whatever the loss type. bnpo's loss is the micro-batch's
        // token mean times its prompts (units: prompts); dapo's is the token sum (units: completion tokens), so the
        // Trainer's Σ loss / Σ units over the step is the mean over every completion token of the step.
        using var dir = new TempDir();
        (ObjectiveOutput Output, long Units)[] Outputs(string lossType)
        {
            var (model, objective) = Setup(dir.File(lossType), lossType, iterations: 1);
            using var _ = model;
            using var __ = objective;
            var prompts = Prompts();
            var micro = new[] { BatchBuilder.Build(prompts.Take(2).ToList(), 0, model.Device), BatchBuilder.Build(prompts.Skip(2).Take(1).ToList(), 0, model.Device) };
            model.train();
            objective.BeginStep(0);
            objective.PrepareStep(model, micro);
            var result = micro.Select(b => (objective.Loss(model, b), objective.UnitsOf(b))).ToArray();
            foreach (var b in micro) b.Dispose();
            return result;
        }
        var dapo = Outputs("dapo");
        var bnpo = Outputs("bnpo");
        for (int i = 0; i < 2; i++)
        {
            long prompts = i == 0 ? 2 : 1;
            Assert.Equal(prompts, bnpo[i].Units);
            Assert.Equal(bnpo[i].Units, bnpo[i].Output.Units);
            long tokens = dapo[i].Units;
            Assert.Equal(tokens, dapo[i].Output.Units);
            // completion_length is the mean per completion (G = 8 per prompt), weighted here by the units.
            Assert.Equal(tokens, dapo[i].Output.Metrics["completion_length"] / tokens * prompts * 8, 3);
            Assert.Equal(bnpo[i].Output.LossSum.item<float>(), dapo[i].Output.LossSum.item<float>() * prompts / tokens, 5);
        }
    }
}
