// Activation checkpointing gives the gradients of the plain backward pass (≤ 1e-6, allclose-style) on tiny Llama, Qwen2 and
// Gemma2 for full fine-tuning, LoRA and SparseLoRA with dropout on — the recomputation replays the dropout generator and
// SparseLoRA's row split — and it really recomputes (every layer once per backward).
using Pharos.Models.Transformer;
using Pharos.Tests;
using Pharos.Training.Adapters;
using Pharos.Training.Adapters.SparseLora;
using Pharos.Training.Objectives;
using Pharos.Training.Precision;
using static Pharos.Training.Tests.SparseLora.SparseLoraHarness;
using static TorchSharp.torch;
using LoraApi = Pharos.Training.Adapters.Lora;
using SparseLoraApi = Pharos.Training.Adapters.SparseLora.SparseLora;

namespace Pharos.Training.Tests.Training;

public class ActivationCheckpointingTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var family in new[] { "llama", "qwen2", "gemma2" })
            foreach (var method in new[] { "full", "lora", "sparselora" })
                data.Add(family, method);
        return data;
    }

    /// <summary>Counts recomputations: a real participant of the checkpointing protocol, not a stand-in for one.</summary>
    sealed class ReplayCounter : IRecomputeState
    {
        public int Replays;
        public object? Capture() => null;
        public IDisposable Replay(object? state)
        {
            Replays++;
            return new Empty();
        }
        sealed class Empty : IDisposable { public void Dispose() { } }
    }

    /// <summary>Two training forward/backward passes (the second shows the generator continues as without checkpointing).</summary>
    static (double[] Losses, Dictionary<string, Tensor>[] Grads, double Flops) Run(string family, string method, bool checkpoint, bool replayDropout = true, ReplayCounter? counter = null,
        bool bf16 = false)
    {
        using var model = Load(family);
        var dropout = new Generator(4);
        IObjective objective = new CausalLmObjective();
        SparseLoraContext? context = null;
        if (method == "lora")
        {
            LoraApi.Apply(model, LoraOpts, seed: 3, dropout);
            RandomizeB(model);
        }
        else if (method == "sparselora")
        {
            context = SparseLoraApi.Apply(model, LoraOpts, new SparseLoraOptions { Schedule = SparsitySchedule.Uniform(model.Config.NumLayers, 0.5, 0.5) },
                Estimators(model), seed: 3, dropout);
            RandomizeB(model);
            objective = new SparseLoraObjective(objective, context);
        }
        // train.precision bf16: bf16 activations over the float32 weights (cast at use), recomputed in bf16 too.
        if (bf16) PrecisionPolicy.Bfloat16.Apply(model);
        if (checkpoint)
        {
            var replayed = new List<IRecomputeState>();
            if (replayDropout) replayed.Add(new GeneratorReplay(dropout));
            if (context is not null) replayed.Add(context);
            if (counter is not null) replayed.Add(counter);
            model.Checkpointing = new ActivationCheckpointing(replayed);
        }
        var losses = new double[2];
        var grads = new Dictionary<string, Tensor>[2];
        for (int i = 0; i < 2; i++)
        {
            using var batch = Batch(16, 9, 4 + i);
            (losses[i], grads[i]) = Step(model, objective, batch);
        }
        return (losses, grads, context?.Flops.Actual ?? 0);
    }

    /// <summary>Every gradient allclose (|a − b| ≤ 1e-6 + 1e-6·|b|, element by element) to the expected one.</summary>
    static void AssertGradientsClose(Dictionary<string, Tensor> expected, Dictionary<string, Tensor> actual, string what)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, e) in expected) AllClose.Equal(e, actual[name], rtol: 1e-6, atol: 1e-6, $"{what}: gradient of {name}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Checkpointed_gradients_equal_the_plain_ones(string family, string method)
    {
        var plain = Run(family, method, checkpoint: false);
        var counter = new ReplayCounter();
        var checkpointed = Run(family, method, checkpoint: true, counter: counter);
        using var model = Load(family);
        Assert.Equal(2 * model.Config.NumLayers, counter.Replays); // every layer recomputed in each of the two backward passes
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(plain.Losses[i], checkpointed.Losses[i], 1e-6);
            AssertGradientsClose(plain.Grads[i], checkpointed.Grads[i], $"pass {i}");
        }
        // SparseLoRA's FLOP count is the step's work, not inflated by the recomputation.
        Assert.Equal(plain.Flops, checkpointed.Flops);
    }

    [Theory]
    [InlineData("full")]
    [InlineData("lora")]
    [InlineData("sparselora")]
    public void Checkpointed_gradients_equal_the_plain_ones_under_bf16_compute(string method)
    {
        var plain = Run("llama", method, checkpoint: false, bf16: true);
        var checkpointed = Run("llama", method, checkpoint: true, bf16: true);
        var float32Run = Run("llama", method, checkpoint: false);
        Assert.NotEqual(float32Run.Losses[0], plain.Losses[0]); // bf16 compute took effect
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(plain.Losses[i], checkpointed.Losses[i], 1e-6);
            AssertGradientsClose(plain.Grads[i], checkpointed.Grads[i], $"bf16 pass {i}");
            Assert.All(checkpointed.Grads[i].Values, g => Assert.Equal(float32, g.dtype)); // gradients of float32 master weights
        }
    }

    [Fact]
    public void Without_replaying_the_dropout_generator_the_gradients_differ()
    {
        // The test above can fail: recomputing with fresh dropout masks gives other gradients.
        var plain = Run("llama", "lora", checkpoint: false);
        var unreplayed = Run("llama", "lora", checkpoint: true, replayDropout: false);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertGradientsClose(plain.Grads[0], unreplayed.Grads[0], "without replay"));
    }

    [Fact]
    public void Evaluation_and_generation_forwards_are_not_checkpointed()
    {
        using var model = Load("llama");
        var counter = new ReplayCounter();
        model.Checkpointing = new ActivationCheckpointing([counter]);
        using var batch = Batch(8, 0);
        model.eval();
        using (no_grad()) model.Forward(batch.InputIds).Dispose();
        model.train();
        using (no_grad()) model.Forward(batch.InputIds).Dispose();
        Assert.Equal(0, counter.Replays);
    }
}
