// The float32 e^x of the decoding kernels (SiLU, attention softmax) against float64 Math.Exp over the range they use, and at its clamps.
using System.Runtime.Intrinsics;
using Pharos.Models.Kernels;

namespace Pharos.Models.Tests.Kernels;

public class VectorExpTests
{
    static float[] Exp(float[] x)
    {
        var result = new float[x.Length];
        for (int i = 0; i < x.Length; i += 16)
            VectorExp.Exp(Vector512.Create(x, i)).CopyTo(result, i);
        return result;
    }

    [Fact]
    public void Is_within_two_float_ulps_of_the_exact_exponential_from_minus_87_to_88()
    {
        var rng = new Random(3);
        var x = Enumerable.Range(0, 16 * 4096).Select(i => i < 16 ? new[] { 0f, 1f, -1f, 0.5f, -0.3465736f, 0.3465736f, 88f, -87f, 10f, -10f, 1e-8f, -1e-8f, 20.5f, -20.5f, 3f, 2f }[i]
            : (float)(rng.NextDouble() * 175 - 87)).ToArray();
        var y = Exp(x);
        for (int i = 0; i < x.Length; i++)
        {
            double exact = Math.Exp(x[i]);
            Assert.True(Math.Abs(y[i] - exact) <= 2.4e-7 * exact, $"exp({x[i]:R}) = {y[i]:R}, exactly {exact:R}");
        }
        Assert.Equal(1f, y[0]);
    }

    [Fact]
    public void Clamps_beyond_the_float_range_and_keeps_nan()
    {
        var y = Exp([-1000f, 1000f, float.NegativeInfinity, float.PositiveInfinity, float.NaN, .. new float[11]]);
        Assert.Equal(Math.Exp(-87), y[0], 1e-44);
        Assert.Equal(Math.Exp(-87), y[2], 1e-44);
        AllCloseScalar(Math.Exp(88), y[1]);
        AllCloseScalar(Math.Exp(88), y[3]);
        Assert.True(float.IsNaN(y[4]));
        Assert.True(float.IsFinite(y[1]) && y[0] > 0);
    }

    static void AllCloseScalar(double expected, float actual) =>
        Assert.True(Math.Abs(actual - expected) <= 2.4e-7 * expected, $"{actual:R} vs {expected:R}");
}
