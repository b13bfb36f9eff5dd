// The decoding gate act(g)·up: SiLU 16 lanes at a time against the scalar formula, infinities and NaN kept.
using Pharos.Models.Kernels;

namespace Pharos.Models.Tests.Kernels;

public unsafe class GatedActivationKernelTests
{
    static float[] Gate(float[] gate, float[] up, bool bf16)
    {
        var row = gate.Concat(up).ToArray();
        fixed (float* p = row) GatedActivationKernel.Gate(p, gate.Length, silu: true, bf16);
        return row[..gate.Length];
    }

    static float Scalar(float g, float up, bool bf16) => TensorMemory.Round(g / (1f + MathF.Exp(-g)), bf16) * up;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SiLU_gate_follows_the_scalar_formula(bool bf16)
    {
        var rng = new Random(5);
        int n = 16 * 64 + 7; // whole blocks and a tail
        var gate = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 40 - 20)).ToArray();
        var up = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        if (bf16) { gate = gate.Select(x => TensorMemory.Round(x, true)).ToArray(); up = up.Select(x => TensorMemory.Round(x, true)).ToArray(); }
        var ours = Gate(gate, up, bf16);
        int differ = 0;
        for (int i = 0; i < n; i++)
        {
            float expected = Scalar(gate[i], up[i], bf16);
            // float32: a few ulps of e^x; bfloat16: the same value but for one on a rounding boundary (one bf16 step).
            double tolerance = (bf16 ? 1.0 / 128 : 4e-7) * Math.Abs(expected) + 1e-30;
            Assert.True(Math.Abs(ours[i] - expected) <= tolerance, $"gate {gate[i]:R}: {ours[i]:R} vs {expected:R}");
            if (ours[i] != expected) differ++;
        }
        if (bf16) Assert.True(differ <= n / 50, $"{differ} of {n} bfloat16 values differ from the scalar formula");
    }

    [Fact]
    public void A_block_with_an_infinity_or_nan_is_computed_as_the_scalar_formula_computes_it()
    {
        var gate = Enumerable.Range(0, 32).Select(i => i * 0.25f - 4).ToArray();
        gate[3] = float.PositiveInfinity;
        gate[20] = float.NaN;
        var up = Enumerable.Repeat(1.5f, 32).ToArray();
        var ours = Gate(gate, up, bf16: true);
        for (int i = 0; i < 32; i++)
        {
            float expected = Scalar(gate[i], up[i], true);
            if (float.IsNaN(expected)) Assert.True(float.IsNaN(ours[i]), $"lane {i}");
            else Assert.Equal(expected, ours[i]);
        }
    }
}
