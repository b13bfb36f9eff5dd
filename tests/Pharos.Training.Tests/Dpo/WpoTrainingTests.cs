// WPO in the shared Trainer on tiny-llama with LoRA (reference = adapters off): a few dozen steps raise the pairs'
// reward accuracy and margin; resuming from a checkpoint replays the uninterrupted run exactly; bad pairs are counted.
using System.Text.Json.Nodes;
using Pharos.Models.Loading;
using Pharos.Models.Transformer;
using Pharos.Tests;
using Pharos.Training.Adapters;
using Pharos.Training.Checkpoints;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives.Dpo;
using Pharos.Training.Optimizers;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.Dpo;

public class WpoTrainingTests
{
    static List<PackedSequence> Pairs(int count)
    {
        var rng = new Random(3);
        int[] Seq(int n) => Enumerable.Range(0, n).Select(_ => rng.Next(3, 300)).ToArray();
        return Enumerable.Range(0, count).Select(_ => DpoReferenceTests.Pair(Seq(5), Seq(6), Seq(6))).ToList();
    }

    static (CausalLM Model, DpoObjective Objective) Setup()
    {
        var model = ModelLoader.Load(RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-llama"));
        Lora.Apply(model, new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0 }, seed: 1);
        return (model, new DpoObjective(new SigmoidLoss(), new AdapterOffReference(), beta: 0.1, useWeighting: true));
    }

    static TrainerOptions Options(int steps) => new()
    {
        MaxSteps = steps, MicroBatchSize = 2, GradientAccumulation = 2, LearningRate = 2e-2, Schedule = DecayShape.Constant,
        SaveEvery = 3, Seed = 5, Method = "lora",
    };

    static IReadOnlyDictionary<string, double> Measure(CausalLM model, DpoObjective objective, List<PackedSequence> pairs)
    {
        using var noGrad = no_grad();
        using var batch = BatchBuilder.Build(pairs, 0, CPU);
        var output = objective.Loss(model, batch);
        return output.Metrics.ToDictionary(m => m.Key, m => m.Value / pairs.Count);
    }

    [Fact]
    public void A_few_dozen_wpo_steps_raise_accuracies_and_margins()
    {
        using var dir = new TempDir();
        var pairs = Pairs(8);
        var (model, objective) = Setup();
        using var _ = model;
        var before = Measure(model, objective, pairs);
        var trainer = new Trainer(model, objective, Options(30) with { SaveEvery = 0 }, new CheckpointStore(dir.File("ckpt")), []);
        trainer.Run(new SequenceDataset(pairs, 5), []);
        var after = Measure(model, objective, pairs);
        Assert.Equal(0, before["rewards/margins"], 6); // policy = reference at the start
        Assert.True(after["rewards/accuracies"] >= 0.9, $"accuracy {before["rewards/accuracies"]} -> {after["rewards/accuracies"]}");
        Assert.True(after["rewards/margins"] > 0.1, $"margin {before["rewards/margins"]} -> {after["rewards/margins"]}");
        Assert.InRange(after["wpo/weight"], 1e-12, 1.0);
    }

    // As MemoryTests' for CPT: the preference objective's reference log-probs and weights hold no handle past a step.
    [Fact]
    public void Wpo_steps_leave_no_tensor_handle_alive()
    {
        foreach (int steps in new[] { 2, 5 })
        {
            using var dir = new TempDir();
            var pairs = Pairs(6);
            var (model, objective) = Setup();
            using var _ = model;
            Assert.Equal(0, LiveHandles.LeftBy(() =>
                new Trainer(model, objective, Options(steps), new CheckpointStore(dir.File("ckpt")), []).Run(new SequenceDataset(pairs, 5), [])));
        }
    }

    [Fact]
    public void Resumed_wpo_run_equals_uninterrupted_run()
    {
        using var dir = new TempDir();
        var pairs = Pairs(6);
        var (a, objA) = Setup();
        var straight = new Trainer(a, objA, Options(6), new CheckpointStore(dir.File("a")), []).Run(new SequenceDataset(pairs, 5), []);
        var (b, objB) = Setup();
        var first = new CheckpointStore(dir.File("a")).List()[0].Path;
        var resumed = new Trainer(b, objB, Options(6), new CheckpointStore(dir.File("b")), []).Run(new SequenceDataset(pairs, 5), [], first);
        Assert.Equal(straight.Losses.Skip(3), resumed.Losses);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.data<float>().ToArray().SequenceEqual(pb.data<float>().ToArray()), $"{name} differs");
        a.Dispose();
        b.Dispose();
    }

    [Fact]
    public void Identical_and_empty_pairs_are_counted_not_fatal()
    {
        var formatter = new PreferenceFormatter(new CharTokenizer());
        using var bad = new BadRecords();
        SourceRecord R(string json) => new("prefs.jsonl", 1, JsonNode.Parse(json)!.AsObject());
        Assert.Null(formatter.Format(R("""{"prompt":"hi","chosen":"a","rejected":"a"}"""), bad));
        Assert.Null(formatter.Format(R("""{"prompt":"hi","chosen":"","rejected":"b"}"""), bad));
        Assert.Null(formatter.Format(R("""{"prompt":"hi","chosen":"a"}"""), bad));
        Assert.Equal(1, bad.Counts[PreferenceFormatter.IdenticalPair]);
        Assert.Equal(1, bad.Counts[BadRecords.Empty]);
        Assert.Equal(1, bad.Counts[BadRecords.MissingField]);
        var plain = formatter.Format(R("""{"prompt":"hi","chosen":"ab","rejected":"c"}"""), bad)!;
        var chat = formatter.Format(R("""{"prompt":[{"role":"user","content":"hi"}],"chosen":[{"role":"assistant","content":"ab"}],"rejected":[{"role":"assistant","content":"c"}]}"""), bad)!;
        // Chosen then rejected as documents 0 and 1, targets only on the completions (+ EOS / end of turn).
        Assert.Equal(3 + 2, plain.Targets.Count(t => t));
        Assert.Equal([0, 1], plain.DocIds.Distinct());
        Assert.Equal([0, 1], chat.DocIds.Distinct());
        Assert.True(chat.Targets.Count(t => t) >= 3);
    }
}
