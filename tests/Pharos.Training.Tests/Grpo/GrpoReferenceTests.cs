// Exactness against TRL's own loss code (Fixtures/trl/make_trl_fixtures.py: GRPOTrainer._compute_loss at TRL f2cd5771):
// loss types grpo, bnpo, dr_grpo and dapo with two-sided clipping (ε 0.2, ε_high 0.28), the k3 KL term (β 0.04), a
// sampling temperature of 0.7 and the on-policy case (no old log-probs) give TRL's loss, gradients, clip ratio and KL.
using Pharos.Models.Loading;
using Pharos.Models.Safetensors;
using Pharos.Tests;
using Pharos.Training.Objectives.Grpo;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.Grpo;

public sealed class GrpoReferenceTests : IDisposable
{
    const double Rtol = 1e-4, Atol = 1e-6;
    readonly SafetensorsFile reference = SafetensorsFile.Open(RepoPaths.Fixtures("Pharos.Training.Tests", "trl", "grpo_reference.safetensors"));

    public void Dispose() => reference.Dispose();

    [Theory]
    [InlineData("grpo", "grpo", 0.04, 0.2, 0.28, 1.0, true)]
    [InlineData("bnpo", "bnpo", 0.04, 0.2, 0.28, 1.0, true)]
    [InlineData("dr_grpo", "dr_grpo", 0.04, 0.2, 0.28, 1.0, true)]
    [InlineData("dapo", "dapo", 0.04, 0.2, 0.28, 1.0, true)]
    [InlineData("dapo_t07_nokl", "dapo", 0.0, 0.2, 0.2, 0.7, true)]
    [InlineData("grpo_onpolicy", "grpo", 0.04, 0.2, 0.2, 1.0, false)]
    public void Loss_gradients_clip_ratio_and_kl_match_trl(string name, string lossType, double beta, double epsilon, double epsilonHigh, double temperature, bool withOld)
    {
        using var model = ModelLoader.Load(RepoPaths.Fixtures("Pharos.Models.Tests", "tiny-llama"));
        model.train();
        var options = new GrpoOptions
        {
            LossType = lossType, Beta = beta, Epsilon = epsilon, EpsilonHigh = epsilonHigh, Temperature = temperature, MaxCompletionLength = 8,
        };
        string t = temperature == 1.0 ? "t10" : "t07";
        using var prompts = reference.Load("prompt_ids");
        using var completions = reference.Load("completion_ids");
        using var mask = reference.Load("completion_mask");
        using var rollout = new Rollout
        {
            Ids = cat([prompts, completions], 1),
            AttentionMask = cat([ones_like(prompts), mask], 1),
            CompletionIds = completions.clone(),
            CompletionMask = mask.to(float32),
            Advantages = reference.Load("advantages"),
            OldLogp = withOld ? reference.Load($"{t}.old_logps") : null,
            RefLogp = beta > 0 ? reference.Load($"{t}.ref_logps") : null,
            PromptLength = (int)prompts.shape[1],
            CompletionTokens = mask.sum().item<long>(),
            Temperature = temperature,
            Metrics = [],
        };
        var (lossSum, units, terms) = RolloutLoss.Compute(model, rollout, prompts: 2, options, GrpoLosses.ByName(lossType));
        Assert.Equal(lossType == "dapo" ? 26 : 2, units);
        var loss = lossSum / units;
        loss.backward();
        using var expectedLoss = reference.Load($"{name}.loss");
        AssertClose(expectedLoss.item<float>(), loss.item<float>(), $"{name}: loss");
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var g in new[] { "lm_head.weight", "model.layers.0.self_attn.q_proj.weight", "model.layers.2.mlp.down_proj.weight" })
        {
            using var expected = reference.Load($"{name}.grad.{g}");
            AssertClose(expected, parameters[g].grad!, $"{name}: gradient of {g}");
        }
        using var noGrad = no_grad();
        double tokens = rollout.CompletionMask.sum().item<float>();
        using var clip = reference.Load($"{name}.clip_ratio");
        AssertClose(clip.item<float>(), (terms.Clipped * rollout.CompletionMask).sum().item<float>() / tokens, $"{name}: clip ratio");
        if (beta > 0)
        {
            using var kl = reference.Load($"{name}.kl");
            AssertClose(kl.item<float>(), (terms.Kl!.detach() * rollout.CompletionMask).sum().item<float>() / tokens, $"{name}: kl");
        }
        if (withOld) Assert.True(clip.item<float>() > 0, "the fixture's old log-probs should put some ratios outside the clip range");
    }

    static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= Atol + Rtol * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        using var scope = NewDisposeScope();
        var e = expected.detach().to(float64);
        var a = actual.detach().to(float64);
        double worst = ((a - e).abs() - (e.abs() * Rtol + Atol)).max().item<double>();
        Assert.True(worst <= 0, $"{what}: max |Δ| {(a - e).abs().max().item<double>():E3} (max |expected| {e.abs().max().item<double>():E2}) exceeds atol {Atol:E0} + rtol {Rtol:E0}·|expected|");
    }
}
