// GRPO's arithmetic on fixed batches against hand-computed values: advantages for each scale_rewards, the clipped
// surrogate (which tokens clip, where the gradient stops), the k3 KL, and every loss_type's normalisation.
using Pharos.Models.Errors;
using Pharos.Training.Objectives.Grpo;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.Grpo;

public class GrpoMathTests
{
    static Tensor T(params float[] v) => tensor(v);

    [Fact]
    public void Advantages_by_group_batch_and_none()
    {
        using var r = T(1, 0, 0, 1, 2, 2, 2, 2);
        using var group = Advantages.Compute(r, 4, "group");
        double s = Math.Sqrt(1.0 / 3); // unbiased std of {1,0,0,1}
        var g = group.data<float>().ToArray();
        Assert.Equal(0.5 / (s + 1e-4), g[0], 5);
        Assert.Equal(-0.5 / (s + 1e-4), g[1], 5);
        Assert.All(g[4..], v => Assert.Equal(0, v, 6)); // equal rewards: no signal, and no division blow-up
        using var batch = Advantages.Compute(r, 4, "batch");
        double mean = 10 / 8.0, std = Math.Sqrt(new[] { 1, 0, 0, 1, 2, 2, 2, 2 }.Sum(x => (x - mean) * (x - mean)) / 7);
        Assert.Equal(0.5 / (std + 1e-4), batch.data<float>()[0], 5);
        using var none = Advantages.Compute(r, 4, "none");
        Assert.Equal(new float[] { 0.5f, -0.5f, -0.5f, 0.5f, 0, 0, 0, 0 }, none.data<float>().ToArray());
    }

    [Fact]
    public void Clipped_surrogate_clips_and_stops_the_gradient()
    {
        // Row 0: A = +1; tokens with ratio 1.5 (above 1+ε_high = 1.3: clipped) and 1.1 (inside).
        // Row 1: A = −1; tokens with ratio 0.5 (below 1−ε = 0.8: clipped) and 0.9 (inside).
        var logp = tensor(new float[] { MathF.Log(1.5f), MathF.Log(1.1f), MathF.Log(0.5f), MathF.Log(0.9f) }, [2, 2]).requires_grad_();
        using var old = zeros(2, 2);
        using var adv = T(1, -1);
        var terms = ClippedSurrogate.Compute(logp, old, adv, epsilon: 0.2, epsilonHigh: 0.3, beta: 0, refLogp: null);
        var loss = terms.PerToken.data<float>().ToArray();
        Assert.Equal(-1.3, loss[0], 5);  // −min(1.5·1, 1.3·1)
        Assert.Equal(-1.1, loss[1], 5);
        Assert.Equal(0.8, loss[2], 5);   // −min(0.5·(−1), 0.8·(−1)) = 0.8
        Assert.Equal(0.9, loss[3], 5);
        Assert.Equal(new float[] { 1, 0, 1, 0 }, terms.Clipped.data<float>().ToArray());
        terms.PerToken.sum().backward();
        var grad = logp.grad!.data<float>().ToArray();
        Assert.Equal(0, grad[0], 6);     // clipped: no gradient
        Assert.Equal(-1.1, grad[1], 5);  // d(−ρA)/dlogp = −ρA
        Assert.Equal(0, grad[2], 6);
        Assert.Equal(0.9, grad[3], 5);
    }

    [Fact]
    public void K3_kl_is_added_with_beta()
    {
        using var logp = tensor(new float[] { -1.0f, -2.0f }, [1, 2]);
        using var refLogp = tensor(new float[] { -1.5f, -1.0f }, [1, 2]);
        using var adv = T(0);
        var terms = ClippedSurrogate.Compute(logp, logp, adv, 0.2, 0.2, beta: 0.04, refLogp);
        double k3(double d) => Math.Exp(d) - d - 1;
        var kl = terms.Kl!.data<float>().ToArray();
        Assert.Equal(k3(-0.5), kl[0], 6);
        Assert.Equal(k3(1.0), kl[1], 6);
        Assert.Equal(0.04 * k3(1.0), terms.PerToken.data<float>()[1], 6);
    }

    [Theory]
    [InlineData("grpo", (1 + 2 + 3) / 3.0 / 2 + (10 + 20) / 2.0 / 2)]   // mean per sequence, then over sequences
    [InlineData("bnpo", (1 + 2 + 3 + 10 + 20) / 5.0)]                 // token sum / tokens
    [InlineData("dapo", 1 + 2 + 3 + 10 + 20)]                         // token sum; the Trainer divides by the step's completion tokens
    [InlineData("dr_grpo", (1 + 2 + 3 + 10 + 20) / (2.0 * 8))]        // token sum / (sequences · max_completion_length)
    public void Loss_types_normalise_as_named(string name, double expected)
    {
        using var perToken = tensor(new float[] { 1, 2, 3, 99, 10, 20, 99, 99 }, [2, 4]);
        using var mask = tensor(new float[] { 1, 1, 1, 0, 1, 1, 0, 0 }, [2, 4]);
        using var reduced = GrpoLosses.ByName(name).Reduce(perToken, mask, maxCompletionLength: 8);
        Assert.Equal(expected, reduced.item<float>(), 5);
    }

    [Fact]
    public void Unknown_loss_type_and_bad_options_fail_at_start_up()
    {
        Assert.Contains("dr_grpo", Assert.Throws<PharosException>(() => GrpoLosses.ByName("ppo")).Message);
        Assert.Throws<PharosException>(() => new GrpoOptions { NumGenerations = 1 }.Validate());
        Assert.Throws<PharosException>(() => new GrpoOptions { ScaleRewards = "token" }.Validate());
    }
}
