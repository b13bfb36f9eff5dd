// `grpo`: one GRPO step of a ~110M Llama (float32, LoRA r=16 on all linear layers, G=8) in the shared Trainer, split into
// generation (batched KV-cache sampling), reward and update (log-prob forward, backward, clipping, AdamW), with the
// generation phase's tokens/s. Median of the measured steps after one warm-up step.
using System.Text.Json.Nodes;
using Pharos.Models.Loading;
using Pharos.Training;
using Pharos.Training.Adapters;
using Pharos.Training.Checkpoints;
using Pharos.Training.Datasets;
using Pharos.Training.Logging;
using Pharos.Training.Objectives.Grpo;
using Pharos.Training.Optimizers;
using Pharos.Training.Rewards;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class GrpoBench
{
    public const string Description = "GRPO step time split into generation / reward / update on a ~110M Llama, G=8, LoRA r=16";

    sealed class Capture : IMetricsSink, ITrainingObserver
    {
        public readonly List<IReadOnlyDictionary<string, double>> Rows = [];
        public readonly List<double> StepSeconds = [];
        double last;
        public void Write(int step, IReadOnlyDictionary<string, double> scalars) { if (scalars.ContainsKey("train/reward")) Rows.Add(scalars); }
        public void StepDone(StepReport r) { StepSeconds.Add(r.Elapsed.TotalSeconds - last); last = r.Elapsed.TotalSeconds; }
        public void Dispose() { }
    }

    /// <summary>A cheap verifiable reward: the share of even token ids among the completion's characters' code points.</summary>
    sealed class Parity : IRewardFunction
    {
        public string Name => "parity";
        public double? Score(RewardInput input) => input.Completion.Length == 0 ? 0 : input.Completion.Count(c => c % 2 == 0) / (double)input.Completion.Length;
    }

    sealed class IdTokenizer : ITextTokenizer
    {
        public int[] Encode(string text) => text.Select(c => (int)c).ToArray();
        public string Decode(IReadOnlyList<int> ids) => new(ids.Select(i => (char)(i % 0xD000)).ToArray());
        public int VocabSize => 32000;
        public int? BosId => 1;
        public int EosId => 2;
        public int PadId => 0;
        public string RenderChat(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt) => string.Concat(messages.Select(m => m.Content));
    }

    public static int Run(string[] args)
    {
        int prompts = BenchArgs.Int(args, "--prompts", 2), g = BenchArgs.Int(args, "--generations", 8);
        int promptLength = BenchArgs.Int(args, "--prompt-length", 32), completion = BenchArgs.Int(args, "--completion", 64), steps = BenchArgs.Int(args, "--steps", 3);
        Console.WriteLine($"grpo: Llama ~110M, float32, LoRA r=16, {prompts} prompts x G={g}, prompt {promptLength} + completion {completion} tokens, {steps} steps (first is warm-up), {get_num_threads()} threads");
        using var bench = BenchModels.Create(BenchModels.Llama110M);
        var model = bench.Model;
        Lora.Apply(model, new LoraOptions { Rank = 16, Alpha = 32, Dropout = 0 }, seed: 1);
        var rng = new Random(1);
        var rows = Enumerable.Range(0, prompts * 4).Select(_ =>
        {
            var ids = Enumerable.Range(0, promptLength).Select(_ => rng.Next(3, 32000)).ToArray();
            return new PackedSequence(ids, new bool[promptLength], new int[promptLength], Enumerable.Range(0, promptLength).ToArray()) { Record = new JsonObject() };
        }).ToList();
        // No stop tokens: every completion runs to max_completion_length, so the split is for a known token count.
        var options = new GrpoOptions { NumGenerations = g, MaxCompletionLength = completion, Temperature = 1.0, LossType = "dapo" };
        using var objective = new GrpoObjective(new RolloutSampler(new IdTokenizer(), new RewardSet([new(new Parity(), 1.0)]), options, null, null), options, seed: 1);
        var capture = new Capture();
        var trainerOptions = new TrainerOptions { MaxSteps = steps, MicroBatchSize = prompts, LearningRate = 1e-5, Schedule = DecayShape.Constant, Method = "lora" };
        var ckpt = Path.Combine(bench.Folder, "ckpt");
        new Trainer(model, objective, trainerOptions, new CheckpointStore(ckpt), [capture], capture).Run(new SequenceDataset(rows, 1), []);
        var measured = Enumerable.Range(1, steps - 1).ToList();
        double Median(IEnumerable<double> v) { var s = v.Order().ToArray(); return s[s.Length / 2]; }
        double step = Median(measured.Select(i => capture.StepSeconds[i]));
        double gen = Median(measured.Select(i => capture.Rows[i]["train/time/generation"]));
        double reward = Median(measured.Select(i => capture.Rows[i]["train/time/reward"]));
        double update = step - gen - reward;
        double genTps = prompts * g * completion / gen;
        Console.WriteLine($"step_s={step:F2} generation_s={gen:F2} ({gen / step:P0}) reward_s={reward:F3} ({reward / step:P1}) update_s={update:F2} ({update / step:P0})");
        Console.WriteLine($"generation_tokens_per_s={genTps:F0} (batch of {prompts * g} rows, {completion} new tokens each); update_tokens_per_s={prompts * g * (promptLength + completion) / update:F0}");
        return 0;
    }
}
