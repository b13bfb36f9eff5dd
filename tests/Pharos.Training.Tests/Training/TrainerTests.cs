// The Trainer: losses fall, a checkpoint + resume in a new process-like setup equals an uninterrupted run bit for bit,
// and resuming into a different model refuses with the reason.
using Pharos.Models.Errors;
using Pharos.Models.Loading;
using Pharos.Models.Transformer;
using Pharos.Tests;
using Pharos.Training.Adapters;
using Pharos.Training.Checkpoints;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives;
using Pharos.Training.Optimizers;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.Training;

public class TrainerTests
{
    static string Model(string name) => RepoPaths.Fixtures("Pharos.Models.Tests", name);

    static List<PackedSequence> Rows(int count, int length, int vocab)
    {
        var rng = new Random(7);
        return Enumerable.Range(0, count).Select(_ =>
        {
            // A learnable pattern: each token is the previous + 1 (mod a small range).
            int start = rng.Next(vocab - 20);
            var ids = Enumerable.Range(0, length).Select(i => start + i % 17).ToArray();
            return new PackedSequence(ids, Enumerable.Repeat(true, length).ToArray(), new int[length], Enumerable.Range(0, length).ToArray());
        }).ToList();
    }

    static TrainerOptions Options(int steps, string method = "full") => new()
    {
        MaxSteps = steps, MicroBatchSize = 2, GradientAccumulation = 2, LearningRate = 3e-3, WarmupSteps = 2,
        WeightDecay = 0.1, MaxGradNorm = 0.5, SaveEvery = 3, KeepLast = 2, Seed = 11, Method = method,
    };

    static (TrainResult Result, CausalLM Model) Run(string dir, int steps, bool lora, string? resume = null, int maxSteps = 6)
    {
        var model = ModelLoader.Load(Model("tiny-llama"));
        var rng = new Generator(11);
        if (lora) Lora.Apply(model, new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0.1 }, 11, rng);
        var options = Options(maxSteps, lora ? "lora" : "full");
        var trainer = new Trainer(model, new CausalLmObjective(), options, new CheckpointStore(Path.Combine(dir, "ckpt"), 2), [], rng: rng);
        var data = new SequenceDataset(Rows(10, 24, 300), 11);
        if (steps < maxSteps)
        {
            // Stop early by running a trainer whose schedule still spans maxSteps: same lr sequence as the full run.
            var partial = new Trainer(model, new CausalLmObjective(), options with { MaxSteps = steps }, new CheckpointStore(Path.Combine(dir, "ckpt"), 2), [], rng: rng);
            return (partial.Run(data, []), model);
        }
        return (trainer.Run(data, [], resume), model);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Resumed_run_equals_uninterrupted_run(bool lora)
    {
        using var straightDir = new TempDir();
        using var resumedDir = new TempDir();
        var (straight, a) = Run(straightDir.Path, 6, lora);
        Assert.True(straight.Losses[^1] < straight.Losses[0], "loss should fall");
        var store = new CheckpointStore(Path.Combine(straightDir.Path, "ckpt"));
        Assert.Equal([3, 6], store.List().Select(c => c.Step));

        // Resume from the straight run's step-3 checkpoint in a fresh model: the next 3 steps must replay exactly.
        var (resumed, b) = Run(resumedDir.Path, 6, lora, resume: store.List()[0].Path);
        Assert.Equal(straight.Losses.Skip(3), resumed.Losses);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.data<float>().ToArray().SequenceEqual(pb.data<float>().ToArray()), $"{name} differs");
        a.Dispose();
        b.Dispose();
    }

    [Fact]
    public void Resuming_into_another_model_refuses_and_says_why()
    {
        using var dir = new TempDir();
        var (_, model) = Run(dir.Path, 6, lora: false);
        model.Dispose();
        var checkpoint = new CheckpointStore(Path.Combine(dir.Path, "ckpt")).Latest()!;
        using var other = ModelLoader.Load(Model("tiny-qwen2"));
        var trainer = new Trainer(other, new CausalLmObjective(), Options(8), new CheckpointStore(dir.File("other")), []);
        var e = Assert.Throws<PharosException>(() => trainer.Run(new SequenceDataset(Rows(4, 8, 300), 1), [], checkpoint));
        Assert.Contains("refusing to resume", e.Message);
        Assert.Contains("architecture", e.Message);
    }

    [Fact]
    public void Bfloat16_training_keeps_float32_master_weights_and_resumes_exactly()
    {
        using var dir = new TempDir();
        var rows = Rows(8, 16, 300);
        var options = Options(4) with { SaveEvery = 2, LearningRate = 1e-3 };
        using var a = ModelLoader.Load(Model("tiny-llama"), CPU, bfloat16);
        var straight = new Trainer(a, new CausalLmObjective(), options, new CheckpointStore(dir.File("a")), []).Run(new SequenceDataset(rows, 3), []);
        Assert.True(straight.Losses[^1] < straight.Losses[0], "bf16 loss should fall");
        using var b = ModelLoader.Load(Model("tiny-llama"), CPU, bfloat16);
        var resumed = new Trainer(b, new CausalLmObjective(), options, new CheckpointStore(dir.File("b")), [])
            .Run(new SequenceDataset(rows, 3), [], Path.Combine(dir.File("a"), "checkpoint-2"));
        Assert.Equal(straight.Losses.Skip(2), resumed.Losses);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.to(float32).data<float>().ToArray().SequenceEqual(pb.to(float32).data<float>().ToArray()), $"{name} differs");
    }

    [Fact]
    public void Schedules_follow_transformers()
    {
        var cosine = new LrSchedule(1.0, 10, 110, DecayShape.Cosine);
        Assert.Equal(0.0, cosine.At(0));
        Assert.Equal(0.5, cosine.At(5), 12);
        Assert.Equal(1.0, cosine.At(10), 12);
        Assert.Equal(0.5, cosine.At(60), 12);
        var linear = new LrSchedule(2.0, 0, 100, DecayShape.Linear, MinLrRatio: 0.1);
        Assert.Equal(2.0, linear.At(0), 12);
        Assert.Equal(0.2 + 1.8 * 0.5, linear.At(50), 12);
    }

    [Fact]
    public void Norms_and_biases_get_no_weight_decay()
    {
        using var model = ModelLoader.Load(Model("tiny-qwen2"));
        using var opt = new AdamW(model.named_parameters().Select(p => (p.name, p.parameter)));
        Assert.False(opt.Slots.Single(s => s.Name == "model.norm.weight").Decay);
        Assert.False(opt.Slots.Single(s => s.Name == "model.layers.0.self_attn.q_proj.bias").Decay);
        Assert.True(opt.Slots.Single(s => s.Name == "model.layers.0.self_attn.q_proj.weight").Decay);
    }
}
