// The preference and RL objectives' token log-probs, a chunk at a time with the chunks recomputed in the backward pass
// (forced here with a threshold of 0 bytes; the tiny models stay far below the default),
// against autograd over the whole [N, vocab] log-softmax: equal values and gradients (float32 and bf16 compute, tied and
// untied heads, Gemma 2's soft-cap, a sampling temperature), and an adapter on lm_head still trained through autograd.
using Pharos.Models.Loading;
using Pharos.Tests;
using Pharos.Training.Objectives;
using Pharos.Training.Precision;
using static Pharos.Training.Tests.SparseLora.SparseLoraHarness;
using static TorchSharp.torch;
using LoraApi = Pharos.Training.Adapters.Lora;

namespace Pharos.Training.Tests.Training;

public class ChunkedTokenLogProbsTests
{
    static double[] Values(Tensor t) => t.detach().to(float64).contiguous().data<double>().ToArray();

    /// <summary>Value and gradients (hidden states, every trainable parameter) of Σ upstream·logp over 13 scored rows.</summary>
    static (double[] Logp, double[] HiddenGrad, Dictionary<string, double[]> Grads) Run(string family, bool bf16, double temperature, bool chunked,
        bool loraOnHead = false)
    {
        var precision = bf16 ? PrecisionPolicy.Bfloat16 : PrecisionPolicy.Float32;
        using var model = ModelLoader.Load(Fixture(family), CPU, precision.ModelDType(float32, trainsBase: !loraOnHead));
        if (loraOnHead)
            LoraApi.Apply(model, new Pharos.Training.Adapters.LoraOptions { Rank = 2, Alpha = 4, Dropout = 0,
                TargetModules = Pharos.Training.Adapters.TargetModules.Names(["lm_head"]) }, seed: 3);
        precision.Apply(model);
        model.train();
        var g = new Generator(9);
        using var hidden = (randn([13, model.Config.HiddenSize], generator: g) * 2).to(precision.Compute).requires_grad_(true);
        using var targets = randint(0, model.Config.VocabSize, [13], generator: g);
        using var upstream = randn([13], generator: g);
        using var scope = NewDisposeScope();
        Tensor logp;
        if (chunked) logp = ChunkedTokenLogProbs.Compute(model, hidden, targets, chunkRows: 5, temperature, recomputeAboveBytes: 0);
        else
        {
            var logits = model.Logits(hidden).to(float32);
            if (temperature != 1.0) logits = logits / temperature;
            logp = logits.log_softmax(-1).gather(1, targets.unsqueeze(1)).squeeze(1);
        }
        (logp * upstream).sum().backward();
        var grads = model.named_parameters().Where(p => p.parameter.requires_grad && p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => Values(p.parameter.grad!));
        return (Values(logp), Values(hidden.grad!), grads);
    }

    [Theory]
    [InlineData("llama", false, 1.0)]  // untied lm_head
    [InlineData("qwen2", false, 0.7)]  // tied, a sampling temperature
    [InlineData("gemma2", false, 1.0)] // tied, final soft-cap
    [InlineData("llama", true, 1.0)]   // bf16 at temperature 1: the cross-entropy kernel's scaled gradient
    [InlineData("gemma2", true, 1.0)]  // the kernel under the soft-cap's autograd
    [InlineData("gemma2", true, 0.9)]  // a temperature: libtorch's ops
    public void Chunks_recomputed_in_backward_give_the_values_and_gradients_of_autograd(string family, bool bf16, double temperature)
    {
        var plain = Run(family, bf16, temperature, chunked: false);
        var chunked = Run(family, bf16, temperature, chunked: true);
        // The values are the same ops on the same rows; the weight's gradient sums the chunks in another order.
        AllClose.Equal(plain.Logp, chunked.Logp, rtol: 1e-6, atol: 1e-6, "log-probs");
        AllClose.EqualAtScale(plain.HiddenGrad, chunked.HiddenGrad, rtol: 1e-5, atolOfScale: bf16 ? 1e-2 : 1e-6, "hidden gradient");
        Assert.NotEmpty(plain.Grads);
        Assert.Equal(plain.Grads.Keys.Order(), chunked.Grads.Keys.Order());
        foreach (var (name, expected) in plain.Grads)
            AllClose.EqualAtScale(expected, chunked.Grads[name], rtol: 1e-5, atolOfScale: bf16 ? 1e-2 : 1e-5, $"gradient of {name}");
    }

    [Fact]
    public void An_adapter_on_lm_head_gets_its_gradients()
    {
        var plain = Run("llama", bf16: false, 1.0, chunked: false, loraOnHead: true);
        var chunked = Run("llama", bf16: false, 1.0, chunked: true, loraOnHead: true);
        Assert.Contains(chunked.Grads.Keys, k => k.Contains("lm_head.lora_A"));
        foreach (var (name, expected) in plain.Grads)
            AllClose.EqualAtScale(expected, chunked.Grads[name], rtol: 1e-5, atolOfScale: 1e-5, $"gradient of {name}");
    }

    [Fact]
    public void Under_no_grad_nothing_is_recorded_and_the_values_are_the_same()
    {
        using var model = ModelLoader.Load(Fixture("qwen2"));
        using var hidden = randn([9, model.Config.HiddenSize], generator: new Generator(2));
        using var targets = randint(0, model.Config.VocabSize, [9], generator: new Generator(3));
        using var withGrad = ChunkedTokenLogProbs.Compute(model, hidden.requires_grad_(true), targets, chunkRows: 4, recomputeAboveBytes: 0);
        Tensor without;
        using (no_grad()) without = ChunkedTokenLogProbs.Compute(model, hidden, targets, chunkRows: 4, recomputeAboveBytes: 0);
        Assert.True(withGrad.requires_grad);
        Assert.False(without.requires_grad);
        Assert.True(Values(withGrad).SequenceEqual(Values(without)));
    }
}
