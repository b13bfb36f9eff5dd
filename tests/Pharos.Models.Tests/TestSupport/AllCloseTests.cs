// The shared float comparison (tests/Shared/AllClose.cs) that every reference test relies on: it must fail where
// torch.allclose fails, or those tests could not fail either.
using Pharos.Tests;
using Xunit.Sdk;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.TestSupport;

public class AllCloseTests
{
    [Fact]
    public void The_allowance_is_atol_plus_rtol_times_the_expected_magnitude()
    {
        Assert.True(AllClose.Within(100.0, 100.0 + 1.4e-4, rtol: 1e-6, atol: 5e-5));   // allowance 5e-5 + 1e-6·100
        Assert.False(AllClose.Within(100.0, 100.0 + 1.6e-4, rtol: 1e-6, atol: 5e-5));
        Assert.False(AllClose.Within(1e-3, 2e-3, rtol: 0.5, atol: 0));                  // relative to expected, not actual
        Assert.False(AllClose.Within(1.0, double.NaN, rtol: 1, atol: 1));
        Assert.True(AllClose.Within(double.PositiveInfinity, double.PositiveInfinity, rtol: 0, atol: 0));
        var e = Assert.Throws<XunitException>(() => AllClose.Equal(2.0, 2.1, rtol: 1e-3, atol: 1e-3, "loss"));
        Assert.Contains("loss: expected 2, got 2.1", e.Message);
    }

    [Fact]
    public void Tensors_name_the_worst_element_and_check_shapes()
    {
        using var expected = tensor(new float[] { 3f, 0.001f, -2f });
        using var close = tensor(new float[] { 3.0002f, 0.00101f, -2f });
        AllClose.Equal(expected, close, rtol: 1e-4, atol: 1e-4, "close");
        using var off = tensor(new float[] { 3f, 0.002f, -2.01f });
        var e = Assert.Throws<XunitException>(() => AllClose.Equal(expected, off, rtol: 1e-4, atol: 1e-4, "grad"));
        Assert.StartsWith("grad: element 2 of 3", e.Message);
        using var reshaped = expected.reshape(3, 1);
        Assert.Throws<XunitException>(() => AllClose.Equal(expected, reshaped, rtol: 1, atol: 1, "shape"));
    }

    [Fact]
    public void At_scale_the_absolute_part_follows_the_largest_expected_value()
    {
        using var expected = tensor(new float[] { 3f, 0.001f });
        using var noisyNearZero = tensor(new float[] { 3f, 0.00102f });   // 2e-5 off: noise of a sum of terms near 3
        AllClose.EqualAtScale(expected, noisyNearZero, rtol: 1e-4, atolOfScale: 1e-5, "near zero");
        Assert.Throws<XunitException>(() => AllClose.Equal(expected, noisyNearZero, rtol: 1e-4, atol: 1e-5, "fixed atol"));
        using var wrong = tensor(new float[] { 3f, 0.0011f });
        Assert.Throws<XunitException>(() => AllClose.EqualAtScale(expected, wrong, rtol: 1e-4, atolOfScale: 1e-5, "wrong"));
    }
}
