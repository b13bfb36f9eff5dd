// train.precision: bf16 computes matmuls and activations in bf16 over float32 master weights (float32 gradients and AdamW
// state), resumes exactly and refuses a resume under another precision; auto picks bf16 exactly where the CPU computes it.
using Pharos.Models.Errors;
using Pharos.Models.Loading;
using Pharos.Tests;
using Pharos.Training.Adapters;
using Pharos.Training.Checkpoints;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives;
using Pharos.Training.Precision;
using Pharos.Training.Recipes;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.Precision;

public class PrecisionPolicyTests
{
    static string Model(string name) => RepoPaths.Fixtures("Pharos.Models.Tests", name);

    static List<PackedSequence> Rows(int count, int length)
    {
        var rng = new Random(3);
        return Enumerable.Range(0, count).Select(_ =>
        {
            int start = rng.Next(250);
            var ids = Enumerable.Range(0, length).Select(i => start + i % 13).ToArray();
            return new PackedSequence(ids, Enumerable.Repeat(true, length).ToArray(), new int[length], Enumerable.Range(0, length).ToArray());
        }).ToList();
    }

    static TrainerOptions Options(int steps, PrecisionPolicy precision) => new()
    {
        MaxSteps = steps, MicroBatchSize = 2, GradientAccumulation = 2, LearningRate = 3e-3, WarmupSteps = 1, MaxGradNorm = 1.0,
        SaveEvery = 2, Seed = 5, Precision = precision,
    };

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Bf16_computes_in_bf16_and_keeps_float32_master_weights_and_gradients(bool lora, bool dora)
    {
        var policy = PrecisionPolicy.Bfloat16;
        using var model = ModelLoader.Load(Model("tiny-llama"), CPU, policy.ModelDType(float32, trainsBase: !lora));
        if (lora) Lora.Apply(model, new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0.1, UseDora = dora }, 5, new Generator(5));
        policy.Apply(model);
        using var batch = BatchBuilder.Build(Rows(2, 16), 0, CPU);
        using (var hidden = model.Hidden(batch.InputIds)) Assert.Equal(bfloat16, hidden.dtype);
        var output = new CausalLmObjective().Loss(model, batch);
        Assert.Equal(float32, output.LossSum.dtype);
        output.LossSum.backward();
        foreach (var (name, p) in model.named_parameters())
        {
            // Trainable: float32 weights and gradients (accumulated in float32); frozen: stored in the compute dtype.
            if (p.requires_grad) Assert.True(p.dtype == float32 && p.grad?.dtype == float32, $"{name}: {p.dtype}, grad {p.grad?.dtype}");
            else Assert.True(p.dtype == bfloat16 && p.grad is null, $"{name}: frozen {p.dtype}");
        }
        // LoRA: A and B on 7 projections per layer; DoRA: and a magnitude vector each.
        Assert.Equal(lora ? model.Config.NumLayers * 7 * (dora ? 3 : 2) : model.parameters().Count(), model.parameters().Count(p => p.requires_grad));
    }

    [Fact]
    public void Bf16_training_stays_close_to_float32_without_being_float32()
    {
        using var dir = new TempDir();
        double[] Losses(PrecisionPolicy p)
        {
            using var model = ModelLoader.Load(Model("tiny-llama"), CPU, p.ModelDType(float32, trainsBase: true));
            return new Trainer(model, new CausalLmObjective(), Options(6, p) with { SaveEvery = 0 }, new CheckpointStore(dir.File(p.Name)), [])
                .Run(new SequenceDataset(Rows(12, 16), 5), []).Losses.ToArray();
        }
        var fp32 = Losses(PrecisionPolicy.Float32);
        var bf16 = Losses(PrecisionPolicy.Bfloat16);
        Assert.NotEqual(fp32, bf16); // the bf16 arm really computed in bf16
        AllClose.Equal(fp32, bf16, rtol: 2e-2, atol: 0, "per-step losses, bf16 vs fp32");
        Assert.True(bf16[^1] < bf16[0], "bf16 loss should fall");
    }

    [Fact]
    public void Bf16_resumes_exactly_and_refuses_a_resume_under_another_precision()
    {
        using var dir = new TempDir();
        var rows = Rows(12, 16);
        var bf16 = PrecisionPolicy.Bfloat16;
        using var a = ModelLoader.Load(Model("tiny-llama"));
        var straight = new Trainer(a, new CausalLmObjective(), Options(4, bf16), new CheckpointStore(dir.File("a")), []).Run(new SequenceDataset(rows, 5), []);
        using var b = ModelLoader.Load(Model("tiny-llama"));
        var resumed = new Trainer(b, new CausalLmObjective(), Options(4, bf16), new CheckpointStore(dir.File("b")), [])
            .Run(new SequenceDataset(rows, 5), [], Path.Combine(dir.File("a"), "checkpoint-2"));
        Assert.Equal(straight.Losses.Skip(2), resumed.Losses);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.data<float>().ToArray().SequenceEqual(pb.data<float>().ToArray()), $"{name} differs");

        using var c = ModelLoader.Load(Model("tiny-llama"));
        var e = Assert.Throws<PharosException>(() => new Trainer(c, new CausalLmObjective(), Options(4, PrecisionPolicy.Float32), new CheckpointStore(dir.File("c")), [])
            .Run(new SequenceDataset(rows, 5), [], Path.Combine(dir.File("a"), "checkpoint-2")));
        Assert.Contains("precision is \"bf16\" in the checkpoint but \"fp32\"", e.Message);
    }

    [Fact]
    public void A_trainable_weight_outside_the_master_dtype_is_refused()
    {
        using var model = ModelLoader.Load(Model("tiny-llama"), CPU, bfloat16);
        var e = Assert.Throws<PharosException>(() => PrecisionPolicy.Bfloat16.Apply(model));
        Assert.Contains("is trainable but BFloat16", e.Message);
    }

    [Theory]
    [InlineData("bf16", true, "Float32")]      // full fine-tuning: float32 master weights
    [InlineData("bf16", false, "BFloat16")]    // a frozen base: the compute dtype
    [InlineData("fp32", false, "Float32")]
    [InlineData("fp32-bf16-checkpoint", false, "BFloat16")] // model.dtype bfloat16 keeps a frozen base narrow under fp32 compute
    public void The_model_is_built_in_the_dtype_its_weights_need(string setting, bool trainsBase, string expected)
    {
        var policy = setting.StartsWith("bf16") ? PrecisionPolicy.Bfloat16 : PrecisionPolicy.Float32;
        var requested = setting.EndsWith("bf16-checkpoint") ? bfloat16 : float32;
        Assert.Equal(expected, policy.ModelDType(requested, trainsBase).ToString());
    }

    [Fact]
    public void Auto_is_bf16_exactly_where_the_cpu_computes_bf16()
    {
        var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags")).Split(' ', ':', '\t');
        bool native = flags.Contains("avx512_bf16") || flags.Contains("amx_bf16");
        Assert.Equal(native ? "bf16" : "fp32", PrecisionPolicy.Resolve("auto", CPU).Name);
        Assert.Equal("bf16", PrecisionPolicy.Resolve("bf16", CPU).Name);
        Assert.Equal("fp32", PrecisionPolicy.Resolve("float32", CPU).Name);
    }

    [Fact]
    public void An_unknown_precision_names_the_key()
    {
        var e = Assert.Throws<RecipeException>(() => RecipeBinder.Parse("stage: cpt\nmodel: {path: m}\ntrain: {precision: fp16}"));
        Assert.Equal("train.precision", e.Key);
    }
}
