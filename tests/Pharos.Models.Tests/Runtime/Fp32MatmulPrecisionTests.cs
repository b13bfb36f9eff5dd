// libtorch's float32 matmul precision switch (train.fp32_matmul): `bf16` sends float32 matmuls to oneDNN (another kernel:
// the product changes, within bf16 math's error at worst, forward and backward), `ieee` and leaving it alone give libtorch's
// BLAS result bit for bit, and the setting reads back. Runs alone: the switch is process-wide.
using System.Runtime.Intrinsics.X86;
using Pharos.Models.Tests.Kernels;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Runtime;

[Collection(nameof(KernelSwitch))]
public class Fp32MatmulPrecisionTests
{
    // A Linear of the ~110M Llama's MLP at a short batch: x[64×768]·W[2048×768]ᵀ, K = 768.
    static (Tensor X, Tensor W) Operands()
    {
        var generator = new Generator(7);
        return (randn(64, 768, generator: generator), randn(2048, 768, generator: generator));
    }

    static bool Identical(Tensor a, Tensor b) => a.detach().data<float>().ToArray().SequenceEqual(b.detach().data<float>().ToArray());

    /// <summary>‖a − ref‖ / ‖ref‖ against the float64 product.</summary>
    static double RelativeError(Tensor product, Tensor x, Tensor w)
    {
        var reference = nn.functional.linear(x.to(float64), w.to(float64));
        return ((product.to(float64) - reference).norm() / reference.norm()).item<double>();
    }

    [Fact]
    public void The_default_stays_libtorchs_exact_float32_and_comes_back_after_bf16()
    {
        using var scope = NewDisposeScope();
        var (x, w) = Operands();
        Assert.Equal("ieee", Fp32MatmulPrecision.Current);
        var before = nn.functional.linear(x, w);
        Assert.True(RelativeError(before, x, w) < 1e-6, "libtorch's float32 matmul is float32-exact");
        using (Fp32MatmulPrecision.Use("bf16"))
            Assert.Equal("bf16", Fp32MatmulPrecision.Current);
        Assert.Equal("ieee", Fp32MatmulPrecision.Current);
        Assert.True(Identical(nn.functional.linear(x, w), before), "after the bf16 scope the product is libtorch's default one, bit for bit");
        using (Fp32MatmulPrecision.Use("ieee"))
            Assert.True(Identical(nn.functional.linear(x, w), before), "ieee is the default");
    }

    [OneDnnRoutingFact]
    public void Bf16_sends_float32_matmuls_forward_and_backward_to_onednn_within_bf16_error()
    {
        using var scope = NewDisposeScope();
        var (x, w) = Operands();
        var blas = nn.functional.linear(x, w);
        var xg = x.detach().requires_grad_();
        Tensor product, gradient;
        using (Fp32MatmulPrecision.Use("bf16"))
        {
            product = nn.functional.linear(xg, w);
            product.sum().backward();
            gradient = xg.grad!.clone();
        }
        // Another kernel ran (oneDNN's, not the BLAS's): the float sums come out in another order.
        Assert.False(Identical(product, blas), "with bf16 the float32 product comes from oneDNN, not from libtorch's BLAS");
        // bf16 math (AMX CPUs) rounds the operands to 8 bits of mantissa: ~3e-3 relative on random data; oneDNN's float32
        // kernel (AVX-512 without AMX) stays near 1e-7. Either way within bf16's error.
        Assert.True(RelativeError(product.detach(), x, w) < 1e-2, $"relative error {RelativeError(product.detach(), x, w):E2}");
        // d(sum(x·Wᵀ))/dx = 1·W: every row of the gradient is W's column sums.
        var expected = w.to(float64).sum(0L).expand(64, 768);
        double gradientError = ((gradient.to(float64) - expected).norm() / expected.norm()).item<double>();
        Assert.True(gradientError < 1e-2, $"gradient relative error {gradientError:E2}");
    }

    [Fact]
    public void An_unknown_setting_is_refused_with_the_choices()
    {
        var e = Assert.Throws<ArgumentException>(() => Fp32MatmulPrecision.Set("tf32"));
        Assert.Contains("ieee, bf16", e.Message);
        Assert.Equal("ieee", Fp32MatmulPrecision.Current);
    }
}

/// <summary>libtorch sends float32 matmuls to oneDNN only on CPUs with AVX-512 BW/VL/DQ (its bf16 device check); elsewhere
/// the setting is taken but the BLAS still runs, and the test is reported as skipped.</summary>
public sealed class OneDnnRoutingFactAttribute : FactAttribute
{
    public OneDnnRoutingFactAttribute()
    {
        if (!(Avx512BW.IsSupported && Avx512BW.VL.IsSupported && Avx512DQ.IsSupported))
            Skip = "no AVX-512 BW/VL/DQ on this CPU: libtorch keeps float32 matmuls on its BLAS whatever the setting";
    }
}
