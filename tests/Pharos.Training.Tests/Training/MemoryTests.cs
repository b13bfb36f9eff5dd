// What lets a large model fit: a bf16 checkpoint built and loaded as bf16 (dtype auto, bit for bit, no float32 copy), no
// gradient buffers on LoRA's frozen base, and an LM-head loss computed in chunks that equals the unchunked one.
using Pharos.Models;
using Pharos.Models.Config;
using Pharos.Models.Loading;
using Pharos.Models.Safetensors;
using Pharos.Tests;
using Pharos.Training.Checkpoints;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives;
using static Pharos.Training.Tests.SparseLora.SparseLoraHarness;
using static TorchSharp.torch;
using LoraApi = Pharos.Training.Adapters.Lora;

namespace Pharos.Training.Tests.Training;

public class MemoryTests
{
    [Fact]
    public void Auto_dtype_keeps_a_bf16_checkpoint_in_bf16_bit_for_bit()
    {
        using var dir = new TempDir();
        var folder = dir.File("bf16");
        using (var f32 = Load("llama"))
        using (var bf16 = new Pharos.Models.Transformer.CausalLM(f32.Config, bfloat16, CPU))
        {
            using (no_grad())
                foreach (var ((_, source), (_, target)) in f32.named_parameters().Zip(bf16.named_parameters()))
                    target.copy_(source);
            ModelSaver.Save(bf16, folder);
        }
        var config = ConfigReader.ReadFolder(folder);
        Assert.Equal("bfloat16", config.TorchDType);
        Assert.Equal(ScalarType.BFloat16, DTypes.Resolve("auto", config));
        Assert.Equal(ScalarType.Float32, DTypes.Resolve("float32", config));
        using var model = ModelLoader.Load(folder, CPU, DTypes.Resolve("auto", config));
        using var file = SafetensorsFile.Open(Path.Combine(folder, "model.safetensors"));
        foreach (var (name, p) in model.named_parameters())
        {
            Assert.Equal(ScalarType.BFloat16, p.dtype);
            Assert.True(file.GetBytes(name).SequenceEqual(p.detach().contiguous().bytes), name);
        }
    }

    /// <summary>Tensor handles alive on this thread after a run of <paramref name="steps"/> steps, beyond those before it.</summary>
    static long HandlesLeftBy(int steps, bool lora, bool bf16 = false)
    {
        using var dir = new TempDir();
        var precision = bf16 ? Pharos.Training.Precision.PrecisionPolicy.Bfloat16 : Pharos.Training.Precision.PrecisionPolicy.Float32;
        using var model = ModelLoader.Load(Fixture("llama"), CPU, precision.ModelDType(float32, trainsBase: !lora));
        if (lora) LoraApi.Apply(model, LoraOpts with { Dropout = bf16 ? 0 : LoraOpts.Dropout }, seed: 3, new Generator(4));
        precision.Apply(model);
        var rng = new Random(1);
        var rows = Enumerable.Range(0, 8).Select(_ => new PackedSequence(Enumerable.Range(0, 12).Select(_ => rng.Next(3, 290)).ToArray(),
            Enumerable.Repeat(true, 12).ToArray(), new int[12], Enumerable.Range(0, 12).ToArray())).ToList();
        return LiveHandles.LeftBy(() => new Trainer(model, new CausalLmObjective(), new TrainerOptions
        {
            MaxSteps = steps, MicroBatchSize = 2, GradientAccumulation = 2, SaveEvery = 2, MaxGradNorm = 1.0, Method = lora ? "lora" : "full",
        }, new CheckpointStore(dir.File("ckpt")), []).Run(new SequenceDataset(rows, 1), []));
    }

    // A handle left alive keeps its tensor's memory until the garbage collector runs: left by every step (AdamW's reads
    // of the gradients once did), a full fine-tuning step's gradients stayed allocated beside the next step's.
    // bf16 compute takes Pharos's own autograd functions (the LoRA projection, the training attention and RMSNorm kernels,
    // the chunked LM-head loss), whose saved tensors and results are handles too.
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Training_steps_and_checkpoints_leave_no_tensor_handle_alive(bool lora, bool bf16)
    {
        Assert.Equal(0, HandlesLeftBy(2, lora, bf16));
        Assert.Equal(0, HandlesLeftBy(6, lora, bf16));
    }

    [Fact]
    public void Loras_frozen_base_holds_no_gradient_buffers_after_training_steps()
    {
        using var dir = new TempDir();
        using var model = Load("llama");
        LoraApi.Apply(model, LoraOpts, seed: 3, new Generator(4));
        var rng = new Random(1);
        var rows = Enumerable.Range(0, 8).Select(_ => new PackedSequence(Enumerable.Range(0, 12).Select(_ => rng.Next(3, 290)).ToArray(),
            Enumerable.Repeat(true, 12).ToArray(), new int[12], Enumerable.Range(0, 12).ToArray())).ToList();
        new Trainer(model, new CausalLmObjective(), new TrainerOptions { MaxSteps = 2, MicroBatchSize = 2, GradientAccumulation = 2, SaveEvery = 0 },
            new CheckpointStore(dir.File("ckpt")), []).Run(new SequenceDataset(rows, 1), []);
        var all = model.named_parameters().ToList();
        var adapters = all.Where(p => p.name.Contains(".lora_")).ToList();
        var base_ = all.Where(p => !p.name.Contains(".lora_")).ToList();
        Assert.NotEmpty(adapters);
        Assert.All(base_, p =>
        {
            Assert.False(p.parameter.requires_grad, p.name);
            Assert.Null(p.parameter.grad);
        });
        Assert.All(adapters, p => Assert.True(p.parameter.requires_grad, p.name));
    }

    [Theory]
    [InlineData("llama", false)]
    [InlineData("gemma2", false)] // final logit soft-capping, tied embeddings
    [InlineData("qwen2", true)]
    public void The_chunked_loss_gives_the_gradients_of_plain_autograd(string family, bool lora)
    {
        using var batch = Batch(16, 0, 5);
        var results = new[] { false, true }.Select(chunked =>
        {
            using var model = Load(family);
            if (lora)
            {
                LoraApi.Apply(model, LoraOpts with { Dropout = 0 }, seed: 3);
                RandomizeB(model);
            }
            return Step(model, chunked ? new CausalLmObjective(chunkRows: 7) : new PlainLossObjective(), batch);
        }).ToList();
        Assert.Equal(results[0].Loss, results[1].Loss, 1e-6);
        // Chunks sum their rows' gradients in another order than one big product does: float32 noise at the scale of the
        // tensor's largest values (a tied embedding's gradient adds the LM head's and the lookup's, which nearly cancel).
        foreach (var (name, expected) in results[0].Grads)
            AllClose.EqualAtScale(expected, results[1].Grads[name], rtol: 1e-6, atolOfScale: 1e-6, $"gradient of {name}");
    }

    // Under bf16 compute the chunked loss casts a float32 output weight once for all chunks and adds each chunk's bf16
    // gradient straight into the float32 sum (no float32 copy of the whole weight's gradient per chunk); the reference
    // casts through autograd and differentiates one big product. The chunks' weight gradients are rounded to bf16 one
    // chunk at a time, so the two agree to bf16 rounding at the scale of each tensor (a chunk dropped or scaled twice
    // would be off by whole units).
    [Theory]
    [InlineData("llama")]  // untied lm_head
    [InlineData("gemma2")] // tied, final logit soft-capping
    [InlineData("qwen2")]  // tied
    public void Under_bf16_compute_the_chunked_loss_gives_the_gradients_of_plain_autograd(string family)
    {
        using var batch = Batch(16, 0, 5);
        var results = new[] { false, true }.Select(chunked =>
        {
            using var model = Load(family);
            Pharos.Training.Precision.PrecisionPolicy.Bfloat16.Apply(model);
            return Step(model, chunked ? new CausalLmObjective(chunkRows: 7) : new PlainLossObjective(), batch);
        }).ToList();
        Assert.Equal(results[0].Loss, results[1].Loss, 2e-3 * Math.Abs(results[0].Loss));
        Assert.Contains(results[1].Grads.Keys, k => k.Contains("embed_tokens"));
        // An untied lm_head's gradient is built by the chunks alone: 1% of its scale. Every other gradient (a tied embedding's
        // too, through its lookup) comes from the network's backward pass in bf16, where roundings that differ once (a tie
        // in the logits' gradient) spread: a qwen2 k_proj.bias element differs by 2.8% of its tensor's largest value, and
        // did so before the chunks cast the weight once. A chunk of 7 rows left out or scaled twice moves ~25%.
        foreach (var (name, expected) in results[0].Grads)
        {
            Assert.Equal(ScalarType.Float32, results[1].Grads[name].dtype);
            AllClose.EqualAtScale(expected, results[1].Grads[name], rtol: 2e-2, atolOfScale: name.Contains("lm_head") ? 1e-2 : 5e-2, $"gradient of {name}");
        }
    }

    /// <summary>The reference: cross-entropy over all labelled positions at once, differentiated by autograd.</summary>
    sealed class PlainLossObjective : IObjective
    {
        public string Name => "plain";

        public ObjectiveOutput Loss(Pharos.Models.Transformer.CausalLM model, Pharos.Training.Datasets.Batch batch)
        {
            using var scope = NewDisposeScope();
            var hidden = model.Hidden(batch.InputIds, positionIds: batch.PositionIds, documentIds: batch.DocumentIds);
            var labels = batch.Labels.reshape(-1);
            var rows = labels.ne(Pharos.Training.Datasets.Batch.IgnoreIndex).nonzero().squeeze(1);
            var logits = model.Logits(hidden.reshape(-1, hidden.shape[^1]).index_select(0, rows)).to(float32);
            var loss = nn.functional.cross_entropy(logits, labels.index_select(0, rows), reduction: nn.Reduction.Sum);
            return new ObjectiveOutput(loss.MoveToOuterDisposeScope(), batch.TargetTokens, new Dictionary<string, double>());
        }
    }

    [Fact]
    public void Chunked_lm_head_loss_equals_the_unchunked_loss_and_gradients()
    {
        using var batch = Batch(16, 0, 5);
        var results = new[] { 3L, 4096L }.Select(chunk =>
        {
            using var model = Load("qwen2");
            return Step(model, new CausalLmObjective(chunkRows: chunk), batch);
        }).ToList();
        Assert.Equal(results[1].Loss, results[0].Loss, 1e-6);
        Assert.True(MaxGradDiff(results[0].Grads, results[1].Grads) <= 1e-6);
    }
}
