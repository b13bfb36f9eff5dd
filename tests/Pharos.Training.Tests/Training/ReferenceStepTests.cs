// Exactness against PyTorch/transformers: one accumulated, clipped AdamW step and a second one, full fine-tuning and
// LoRA, with assistant-only targets, give the reference loss, gradients and updated weights allclose-style
// (|Δ| ≤ atol + rtol·|expected|). Tensors get atol = 1e-4 × their largest value: between BLAS kernels (MKL_CBWR and
// ATEN_CPU_CAPABILITY variants) they differ by at most 3.3e-5 of it; a missing weight decay alone moves every weight by
// 1e-3 of itself per step.
using Pharos.Models.Loading;
using Pharos.Models.Safetensors;
using Pharos.Models.Transformer;
using Pharos.Tests;
using Pharos.Training.Adapters;
using Pharos.Training.Checkpoints;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives;
using Pharos.Training.Optimizers;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.Training;

public sealed class ReferenceStepTests : IDisposable
{
    const double Rtol = 1e-4, AtolOfScale = 1e-4, ScalarAtol = 1e-6;
    readonly SafetensorsFile reference = SafetensorsFile.Open(RepoPaths.Fixtures("Pharos.Training.Tests", "training_reference.safetensors"));

    public void Dispose() => reference.Dispose();

    List<PackedSequence> Rows()
    {
        using var ids = reference.Load("ids");
        using var targets = reference.Load("targets");
        var rows = new List<PackedSequence>();
        for (int b = 0; b < ids.shape[0]; b++)
        {
            var row = ids[b].data<long>().Select(v => (int)v).ToArray();
            var mask = targets[b].data<byte>().Select(v => v != 0).ToArray();
            rows.Add(new PackedSequence(row, mask, new int[row.Length], Enumerable.Range(0, row.Length).ToArray()));
        }
        return rows;
    }

    CausalLM Model(bool lora)
    {
        var model = ModelLoader.Load(RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-llama"));
        if (!lora) return model;
        Lora.Apply(model, new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0 }, seed: 0);
        using var noGrad = no_grad();
        foreach (var (name, adapter, _) in Lora.Find(model))
        {
            using var a = reference.Load($"lora.init.{name}.lora_A.weight");
            using var b = reference.Load($"lora.init.{name}.lora_B.weight");
            adapter.lora_A.weight.copy_(a);
            adapter.lora_B.weight.copy_(b);
        }
        return model;
    }

    void Close(string key, Tensor actual, string what)
    {
        using var expected = reference.Load(key);
        AllClose.EqualAtScale(expected, actual, Rtol, AtolOfScale, what);
    }

    [Theory]
    [InlineData("full")]
    [InlineData("lora")]
    public void First_step_loss_and_gradients_match_pytorch(string method)
    {
        using var model = Model(method == "lora");
        model.train();
        var rows = Rows();
        var objective = new CausalLmObjective();
        var micro = new[] { BatchBuilder.Build(rows[..2], 0, CPU), BatchBuilder.Build(rows[2..], 0, CPU) };
        long units = micro.Sum(b => b.TargetTokens);
        double lossSum = 0;
        foreach (var batch in micro)
        {
            using var output = objective.Loss(model, batch).LossSum;
            (output / units).backward();
            lossSum += output.item<float>();
            batch.Dispose();
        }
        using var expectedLoss = reference.Load($"{method}.step0.loss");
        AllClose.Equal(expectedLoss.item<float>(), lossSum / units, Rtol, ScalarAtol, "loss");
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        Assert.Equal(method == "lora" ? 42 : 30, trainable.Count);
        foreach (var (name, p) in trainable)
            Close($"{method}.step0.grad.{name}", p.grad!, $"grad of {name}");
        double norm = GradientClipping.ClipGlobalNorm(trainable.Select(t => t.parameter), 0.5);
        using var expectedNorm = reference.Load($"{method}.step0.grad_norm");
        AllClose.Equal(expectedNorm.item<float>(), norm, Rtol, ScalarAtol, "gradient norm before clipping");
    }

    [Theory]
    [InlineData("full")]
    [InlineData("lora")]
    public void Two_trainer_steps_match_pytorch(string method)
    {
        using var dir = new TempDir();
        using var model = Model(method == "lora");
        var options = new TrainerOptions
        {
            MaxSteps = 2, MicroBatchSize = 2, GradientAccumulation = 2, LearningRate = 1e-2, WarmupSteps = 0,
            Schedule = DecayShape.Constant, WeightDecay = 0.1, MaxGradNorm = 0.5, Epsilon = 1e-4, Method = method,
        };
        var trainer = new Trainer(model, new CausalLmObjective(), options, new CheckpointStore(dir.Path), []);
        // Every step sees the same 4 rows (one epoch each); their grouping into micro-batches does not change the sum.
        var result = trainer.Run(new SequenceDataset(Rows(), seed: 1), []);
        for (int step = 0; step < 2; step++)
        {
            using var expected = reference.Load($"{method}.step{step}.loss");
            AllClose.Equal(expected.item<float>(), result.Losses[step], Rtol, ScalarAtol, $"loss of step {step}");
        }
        foreach (var (name, p) in model.named_parameters().Where(p => p.parameter.requires_grad))
            Close($"{method}.final.{name}", p, $"{name} after 2 steps");
    }
}
