// bfloat16 rounding 16 values at a time against the scalar rounding, on every kind of float32 value.
using Pharos.Models.Kernels;

namespace Pharos.Models.Tests.Kernels;

public unsafe class TensorMemoryTests
{
    /// <summary>Random finite values of every magnitude, values halfway between two bfloat16 (ties to even both ways),
    /// denormals, ±0, ±infinity, the largest floats (which round up to infinity) and NaNs in some blocks only.</summary>
    static float[] Values(int seed)
    {
        var rng = new Random(seed);
        var values = new float[16 * 200 + 5];
        for (int i = 0; i < values.Length; i++)
        {
            uint bits = (uint)rng.NextInt64(0, 1L << 32);
            values[i] = (i % 7) switch
            {
                0 => BitConverter.UInt32BitsToSingle((bits & 0xFFFF0000u) | 0x8000u), // a tie
                1 => BitConverter.UInt32BitsToSingle(bits & 0x807FFFFFu),           // denormal or ±0
                _ => BitConverter.UInt32BitsToSingle(bits),
            };
            if (float.IsNaN(values[i]) && (i / 16) % 3 != 0) values[i] = 1.5f; // NaNs in every third block only
        }
        float[] specials = [float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, 0f, -0f, float.Epsilon, 3.3961514e38f];
        specials.CopyTo(values, 16 * 5);
        values[16 * 9 + 4] = float.NaN;
        return values;
    }

    [Fact]
    public void Writing_bfloat16_equals_the_scalar_rounding_bit_for_bit()
    {
        var source = Values(1);
        var ours = new ushort[source.Length];
        fixed (float* s = source) fixed (ushort* o = ours) TensorMemory.Write(s, o, bfloat16: true, 0, source.Length);
        for (int i = 0; i < source.Length; i++)
            Assert.True(ours[i] == TensorMemory.ToBfloat16(source[i]), $"{source[i]:R}: {ours[i]:X4} vs {TensorMemory.ToBfloat16(source[i]):X4}");
    }

    [Fact]
    public void Rounding_in_place_and_adding_equal_the_scalar_rounding()
    {
        var a = Values(2);
        var b = Values(3);
        var rounded = new float[a.Length];
        var sums = new float[a.Length];
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* r = rounded) fixed (float* s = sums)
        {
            TensorMemory.RoundToBfloat16(pa, r, a.Length);
            TensorMemory.AddRoundToBfloat16(pa, pb, s, a.Length);
        }
        for (int i = 0; i < a.Length; i++)
        {
            Same(TensorMemory.Round(a[i], bfloat16: true), rounded[i], a[i]);
            Same(TensorMemory.Round(a[i] + b[i], bfloat16: true), sums[i], a[i] + b[i]);
        }
    }

    static void Same(float expected, float actual, float input) =>
        Assert.True(BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(actual)
            || float.IsNaN(expected) && float.IsNaN(actual), $"{input:R}: {actual:R} vs {expected:R}");
}
