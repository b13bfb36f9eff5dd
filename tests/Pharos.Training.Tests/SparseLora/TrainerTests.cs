// adapter: sparselora in the Trainer: dense warm-up steps, FLOP reduction logged per step, the loss falls, and the saved
// adapter is an ordinary PEFT LoRA adapter with LoRA's keys and shapes.
using Pharos.Models.Safetensors;
using Pharos.Tests;
using Pharos.Training.Adapters;
using Pharos.Training.Adapters.SparseLora;
using Pharos.Training.Checkpoints;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives;
using static TorchSharp.torch;
using LoraApi = Pharos.Training.Adapters.Lora;
using SparseLoraApi = Pharos.Training.Adapters.SparseLora.SparseLora;

namespace Pharos.Training.Tests.SparseLora;

public class TrainerTests
{
    static List<PackedSequence> Rows()
    {
        var rng = new Random(3);
        return Enumerable.Range(0, 8).Select(_ =>
        {
            int start = rng.Next(200);
            var ids = Enumerable.Range(0, 24).Select(i => start + i % 13).ToArray();
            return new PackedSequence(ids, Enumerable.Range(0, 24).Select(i => i >= 16).ToArray(), new int[24], Enumerable.Range(0, 24).ToArray());
        }).ToList();
    }

    // As MemoryTests' for CPT: the channel masks the estimator picks each step are released with the step.
    [Fact]
    public void Sparse_steps_leave_no_tensor_handle_alive()
    {
        var left = new List<long>();
        foreach (int steps in new[] { 3, 6 })
        {
            using var dir = new TempDir();
            using var model = SparseLoraHarness.Load("llama");
            var lora = new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0 };
            var options = new SparseLoraOptions { Schedule = SparsitySchedule.Uniform(3, 0.75, 0.5), StartStep = 1, EndStep = 6 };
            var context = SparseLoraApi.Apply(model, lora, options, SparseLoraHarness.Estimators(model), seed: 1);
            left.Add(LiveHandles.LeftBy(() =>
                new Trainer(model, new SparseLoraObjective(new CausalLmObjective(), context), new TrainerOptions { MaxSteps = steps, MicroBatchSize = 2, Method = "sparselora" },
                    new CheckpointStore(dir.File("ckpt"), 1), []) { StepHook = context }.Run(new SequenceDataset(Rows(), 1), [])));
        }
        Assert.Equal("0,0", string.Join(",", left));
    }

    [Fact]
    public void Trains_with_dense_warmup_logs_flops_and_saves_a_lora_adapter()
    {
        using var dir = new TempDir();
        using var model = SparseLoraHarness.Load("llama");
        var lora = new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0 };
        var options = new SparseLoraOptions { Schedule = SparsitySchedule.Uniform(3, 0.75, 0.5), StartStep = 2, EndStep = 5 };
        var context = SparseLoraApi.Apply(model, lora, options, SparseLoraHarness.Estimators(model), seed: 1);
        var sink = new RecordingMetricsSink();
        var trainerOptions = new TrainerOptions { MaxSteps = 6, MicroBatchSize = 2, LearningRate = 1e-2, Method = "sparselora" };
        var trainer = new Trainer(model, new SparseLoraObjective(new CausalLmObjective(), context), trainerOptions,
            new CheckpointStore(dir.File("ckpt"), 1), [sink]) { StepHook = context };
        var result = trainer.Run(new SequenceDataset(Rows(), 1), []);

        var kept = sink.Rows.Where(r => r.ContainsKey("sparselora/flops_kept")).Select(r => r["sparselora/flops_kept"]).ToList();
        Assert.Equal(6, kept.Count);
        Assert.Equal(1.0, kept[0]);
        Assert.Equal(1.0, kept[1]);
        Assert.All(kept.Skip(2).Take(3), k => Assert.InRange(k, 0.2, 0.95));
        Assert.Equal(1.0, kept[5]);
        Assert.True(result.Losses[^1] < result.Losses[0], $"loss {result.Losses[0]} → {result.Losses[^1]}");

        PeftFormat.Save(model, dir.File("adapter"), lora, null);
        using var plain = SparseLoraHarness.Load("llama");
        LoraApi.Apply(plain, lora, seed: 1);
        PeftFormat.Save(plain, dir.File("plain"), lora, null);
        using var a = SafetensorsFile.Open(dir.File("adapter/adapter_model.safetensors"));
        using var b = SafetensorsFile.Open(dir.File("plain/adapter_model.safetensors"));
        Assert.Equal(b.Tensors.Select(t => (t.Name, string.Join("x", t.Shape))), a.Tensors.Select(t => (t.Name, string.Join("x", t.Shape))));
        Assert.Equal(File.ReadAllText(dir.File("plain/adapter_config.json")), File.ReadAllText(dir.File("adapter/adapter_config.json")));

        // At inference it is plain LoRA: PEFT-loading it into a fresh model reproduces the trained model's eval logits.
        using var reloaded = SparseLoraHarness.Load("llama");
        PeftFormat.Load(reloaded, dir.File("adapter"));
        reloaded.eval();
        model.eval();
        using var ids = tensor(new long[] { 4, 8, 15, 16, 23, 42 }).unsqueeze(0);
        using var x = model.Forward(ids);
        using var y = reloaded.Forward(ids);
        Assert.Equal(0, (x - y).abs().max().item<float>());
    }
}
