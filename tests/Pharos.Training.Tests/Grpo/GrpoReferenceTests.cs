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
    // Losses, clip ratios and KL are ~1e-2; gradients: TrlReferenceGradients.
    const double Rtol = 1e-4, ScalarAtol = 1e-7;
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
        AllClose.Equal(expectedLoss.item<float>(), loss.item<float>(), Rtol, ScalarAtol, $"{name}: loss");
        TrlReferenceGradients.AssertMatch(reference, model, name);
        using var noGrad = no_grad();
        double tokens = rollout.CompletionMask.sum().item<float>();
        using var clip = reference.Load($"{name}.clip_ratio");
        AllClose.Equal(clip.item<float>(), (terms.Clipped * rollout.CompletionMask).sum().item<float>() / tokens, Rtol, ScalarAtol, $"{name}: clip ratio");
        if (beta > 0)
        {
            using var kl = reference.Load($"{name}.kl");
            AllClose.Equal(kl.item<float>(), (terms.Kl!.detach() * rollout.CompletionMask).sum().item<float>() / tokens, Rtol, ScalarAtol, $"{name}: kl");
        }
        if (withOld) Assert.True(clip.item<float>() > 0, "the fixture's old log-probs should put some ratios outside the clip range");
    }
}
