// AdamW's rule on a tensor larger than one cache block: every block, the short last one included, gets PyTorch's
// AdamW arithmetic (written out here in float64), with the gradient scale (clipping) applied to the gradient in place.
using Pharos.Tests;
using Pharos.Training.Optimizers;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.Optimizers;

public sealed class AdamWRuleTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.3)]
    public void A_tensor_of_several_blocks_is_updated_like_one_adamw_step(double gradScale)
    {
        const double lr = 1e-2, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, decay = 0.1;
        const long step = 3;
        long n = 2 * AdamWRule.BlockElements + 1234;
        var gen = new Generator(7);
        using var w0 = randn([n / 2, 2], generator: gen);
        using var g0 = randn([n / 2, 2], generator: gen);
        using var m0 = randn([n / 2, 2], generator: gen) * 0.1;
        using var v0 = rand([n / 2, 2], generator: gen) * 0.01;
        using var w = w0.clone();
        using var g = g0.clone();
        using var m = m0.clone();
        using var v = v0.clone();

        new AdamWRule(beta1, beta2, eps, decay).Apply(w, g, m, v, lr, decay: true, step, gradScale);

        using var gd = g0.to(float64) * gradScale;
        using var md = m0.to(float64) * beta1 + gd * (1 - beta1);
        using var vd = v0.to(float64) * beta2 + gd * gd * (1 - beta2);
        double bc1 = 1 - Math.Pow(beta1, step), bc2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, step));
        using var wd = w0.to(float64) * (1 - lr * decay) - md / (vd.sqrt() / bc2Sqrt + eps) * (lr / bc1);
        AllClose.Equal(gd, g.to(float64), 1e-6, 1e-7, "gradient scaled in place");
        AllClose.Equal(md, m.to(float64), 1e-5, 1e-7, "first moment");
        AllClose.Equal(vd, v.to(float64), 1e-5, 1e-9, "second moment");
        AllClose.Equal(wd, w.to(float64), 1e-5, 1e-6, "weights");
    }
}
