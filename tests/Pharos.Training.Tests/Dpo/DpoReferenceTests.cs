// Exactness against TRL's own loss code (Fixtures/trl/make_trl_fixtures.py: DPOTrainer._compute_loss at TRL f2cd5771 on
// batches from its DataCollatorForPreference): DPO sigmoid, robust (label smoothing), IPO, hinge, RPO (TRL's
// [sigmoid, sft]) and WPO weighting give TRL's loss, gradients and rewards/logps metrics on tiny-llama, allclose-style.
// Gradients rest on log-prob sums near −50: between CPUs and BLAS kernels they differ by ~1e-5 of the tensor's largest
// value, so they get atol = 1e-4 × that value (tests/Shared/AllClose); a wrong loss, mask or weight is off by far more.
using Pharos.Models.Loading;
using Pharos.Models.Safetensors;
using Pharos.Models.Transformer;
using Pharos.Tests;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives.Dpo;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.Dpo;

public sealed class DpoReferenceTests : IDisposable
{
    const double Rtol = 1e-4, ScalarAtol = 1e-6;
    readonly SafetensorsFile reference = SafetensorsFile.Open(RepoPaths.Fixtures("Pharos.Training.Tests", "trl", "dpo_reference.safetensors"));

    public void Dispose() => reference.Dispose();

    sealed class FixedReference(Tensor values) : IReferenceLogProbs
    {
        public Tensor LogProbs(CausalLM policy, Batch batch) => values.clone();
    }

    internal static PackedSequence Pair(int[] prompt, int[] chosen, int[] rejected)
    {
        int[] c = [.. prompt, .. chosen], r = [.. prompt, .. rejected];
        var targets = c.Select((_, i) => i >= prompt.Length).Concat(r.Select((_, i) => i >= prompt.Length)).ToArray();
        var docs = Enumerable.Repeat(0, c.Length).Concat(Enumerable.Repeat(1, r.Length)).ToArray();
        var positions = Enumerable.Range(0, c.Length).Concat(Enumerable.Range(0, r.Length)).ToArray();
        return new PackedSequence([.. c, .. r], targets, docs, positions);
    }

    int[] Ids(string key)
    {
        using var t = reference.Load(key);
        return t.data<long>().Select(v => (int)v).ToArray();
    }

    [Theory]
    [InlineData("sigmoid", "sigmoid", 0.0, false, 0.0)]
    [InlineData("robust", "robust", 0.1, false, 0.0)]
    [InlineData("ipo", "ipo", 0.0, false, 0.0)]
    [InlineData("hinge", "hinge", 0.0, false, 0.0)]
    [InlineData("rpo", "sigmoid", 0.0, false, 0.5)]
    [InlineData("wpo", "sigmoid", 0.0, true, 0.0)]
    public void Loss_gradients_and_metrics_match_trl(string name, string lossType, double smoothing, bool wpo, double rpo)
    {
        using var model = ModelLoader.Load(RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-llama"));
        var rows = Enumerable.Range(0, 3).Select(i => Pair(Ids($"pair{i}.prompt"), Ids($"pair{i}.chosen"), Ids($"pair{i}.rejected"))).ToList();
        using var refLogps = reference.Load("ref_logps");
        var objective = new DpoObjective(PreferenceLosses.ByName(lossType), new FixedReference(refLogps), beta: 0.5,
            labelSmoothing: smoothing, rpoAlpha: rpo, useWeighting: wpo);
        using var batch = BatchBuilder.Build(rows, 0, CPU);
        Assert.Equal(3, objective.UnitsOf(batch));
        var output = objective.Loss(model, batch);
        var loss = output.LossSum / 3;
        loss.backward();
        using var expectedLoss = reference.Load($"{name}.loss");
        AllClose.Equal(expectedLoss.item<float>(), loss.item<float>(), Rtol, ScalarAtol, $"{name}: loss");
        TrlReferenceGradients.AssertMatch(reference, model, name);
        // TRL logs means over pairs; Pharos's metrics are sums that the Trainer divides by the step's pairs.
        foreach (var metric in new[] { "rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies", "logps/chosen", "logps/rejected" })
        {
            using var expected = reference.Load($"{name}.metric.{metric}");
            AllClose.Equal(expected.item<float>(), output.Metrics[metric] / 3, Rtol, ScalarAtol, $"{name}: {metric}");
        }
    }

    [Fact]
    public void Label_smoothing_belongs_to_robust_only()
    {
        using var refLogps = reference.Load("ref_logps");
        Assert.Contains("robust", Assert.Throws<ArgumentException>(() =>
            new DpoObjective(PreferenceLosses.ByName("sigmoid"), new FixedReference(refLogps), beta: 0.5, labelSmoothing: 0.1)).Message);
    }

    [Fact]
    public void Wpo_weights_follow_the_formula_and_exceed_one_for_confident_completions()
    {
        using var model = ModelLoader.Load(RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-llama"));
        var rows = Enumerable.Range(0, 3).Select(i => Pair(Ids($"pair{i}.prompt"), Ids($"pair{i}.chosen"), Ids($"pair{i}.rejected"))).ToList();
        using var batch = BatchBuilder.Build(rows, 0, CPU);
        using var lp = PairLogProbs.Compute(model, batch, wpo: true);
        using var noGrad = no_grad();
        // Closed form on the first chosen completion: mean over its tokens of log p(y_t) − log Σ_v p(v)².
        var prompt = Ids("pair0.prompt");
        var chosen = Ids("pair0.chosen");
        int[] seq = [.. prompt, .. chosen];
        using var logp = model.Forward(tensor(seq.Select(v => (long)v).ToArray(), [1, seq.Length])).squeeze(0).log_softmax(-1);
        double sum = 0;
        for (int t = prompt.Length - 1; t < seq.Length - 1; t++)
        {
            var row = logp[t].data<float>().Select(v => (double)v).ToArray();
            double lse2 = Math.Log(row.Sum(v => Math.Exp(2 * v)));
            sum += row[seq[t + 1]] - lse2;
        }
        AllClose.Equal(sum / chosen.Length, lp.WpoMean![0, 0].item<float>(), Rtol, 1e-5, "mean log-weight of pair 0's chosen completion");
        Assert.False(lp.WpoMean.requires_grad);
        // Pair 0's chosen completion is the model's greedy one: p(y_t) is the largest probability, so p(y_t) ≥ Σ_v p(v)²
        // and its weight exceeds 1, which TRL ≥ 1.0 keeps (no cap); the sampled completions weigh less than 1.
        Assert.True(lp.WpoMean[0, 0].item<float>() > 0);
        Assert.True(lp.WpoMean[1, 1].item<float>() < 0);
    }

    [Fact]
    public void Reference_with_adapters_off_equals_the_base_model()
    {
        using var model = ModelLoader.Load(RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-llama"));
        var rows = Enumerable.Range(0, 3).Select(i => Pair(Ids($"pair{i}.prompt"), Ids($"pair{i}.chosen"), Ids($"pair{i}.rejected"))).ToList();
        using var batch = BatchBuilder.Build(rows, 0, CPU);
        using var baseLp = PairLogProbs.Compute(model, batch, wpo: false);
        Pharos.Training.Adapters.Lora.Apply(model, new Pharos.Training.Adapters.LoraOptions { Rank = 4, Alpha = 8, Dropout = 0 }, seed: 3);
        using (no_grad())
            foreach (var (_, adapter, _) in Pharos.Training.Adapters.Lora.Find(model)) adapter.lora_B.weight.normal_(0, 0.5);
        using var adapted = PairLogProbs.Compute(model, batch, wpo: false);
        using var refLp = new AdapterOffReference().LogProbs(model, batch);
        Assert.True((adapted.Sum - baseLp.Sum).abs().max().item<float>() > 1e-3, "the adapters should change the policy");
        AllClose.Equal(baseLp.Sum, refLp, Rtol, 1e-5, "reference log-probs with adapters off");
        Assert.True(Pharos.Training.Adapters.Lora.Find(model).All(a => a.Adapter.Enabled), "adapters are back on after the reference pass");
    }
}
