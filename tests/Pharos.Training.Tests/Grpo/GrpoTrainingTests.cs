// GRPO in the shared Trainer on tiny-llama with a simple verifiable reward (share of lowercase letters in the
// completion): a few dozen steps raise the mean reward with a fixed seed; resume replays the uninterrupted run exactly;
// a reward that throws on some samples is counted, not fatal; sample completions land in JSONL.
using System.Text.Json.Nodes;
using Pharos.Models.Loading;
using Pharos.Models.Transformer;
using Pharos.Tests;
using Pharos.Training.Checkpoints;
using Pharos.Training.Datasets;
using Pharos.Training.Logging;
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

    sealed class Sink : IMetricsSink
    {
        public List<IReadOnlyDictionary<string, double>> Rows { get; } = [];
        public void Write(int step, IReadOnlyDictionary<string, double> scalars) => Rows.Add(scalars);
        public void Dispose() { }
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
        var sink = new Sink();
        new Trainer(model, objective, Options(40) with { SaveEvery = 0 }, new CheckpointStore(dir.File("ckpt")), [sink]).Run(new SequenceDataset(Prompts(), 9), []);
        double first = sink.Rows.Take(8).Average(r => r["train/reward"]), last = sink.Rows.TakeLast(8).Average(r => r["train/reward"]);
        Assert.True(last > first + 0.1, $"mean reward {first:F3} -> {last:F3}");
        Assert.Contains(sink.Rows, r => r.ContainsKey("train/kl") && r.ContainsKey("train/clip_ratio") && r.ContainsKey("train/rewards/lowercase/mean"));
        Assert.True(File.ReadLines(dir.File("completions.jsonl")).Count() >= 40);
    }

    [Fact]
    public void Resumed_grpo_run_equals_uninterrupted_run()
    {
        using var dir = new TempDir();
        // num_iterations 1: a resume between the steps that share completions would sample afresh (documented in GrpoObjective).
        var (a, objA) = Setup(dir.Path, "grpo", iterations: 1);
        var straight = new Trainer(a, objA, Options(6), new CheckpointStore(dir.File("a")), []).Run(new SequenceDataset(Prompts(), 9), []);
        var (b, objB) = Setup(dir.Path, "grpo", iterations: 1);
        var first = new CheckpointStore(dir.File("a")).List()[0].Path;
        var resumed = new Trainer(b, objB, Options(6), new CheckpointStore(dir.File("b")), []).Run(new SequenceDataset(Prompts(), 9), [], first);
        Assert.Equal(straight.Losses.Skip(3), resumed.Losses);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.data<float>().ToArray().SequenceEqual(pb.data<float>().ToArray()), $"{name} differs");
        a.Dispose();
        b.Dispose();
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
}
