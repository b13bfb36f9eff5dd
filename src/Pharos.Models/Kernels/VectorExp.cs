// e^x for 16 float32 lanes in float32 arithmetic, for kernels whose results are rounded to bf16 afterwards. .NET's
// Vector512.Exp widens to float64 for a correctly rounded float result, which costs several times this; here
// x = n·ln2 + r with |r| ≤ ln2/2 (ln2 split in two parts so r is exact to float precision), e^r by its Taylor series to
// r⁷ (truncation < 6e-9 relative, under half a float ulp), and 2ⁿ put into the exponent bits. Inputs are clamped to
// [−87, 88] (results 1.6e-38 … 1.7e38): the kernels use e^x only inside 1/(1 + e^x)-like forms (SiLU) and as a
// softmax's e^(s − max) (decoding attention), where a term clamped to 1.6e-38 beside a largest term of 1 changes
// nothing at float precision. NaN stays NaN.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Pharos.Models.Kernels;

internal static class VectorExp
{
    const float Log2E = 1.44269504f, Ln2High = 0.693145752f, Ln2Low = 1.42860677e-6f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-87f)), Vector512.Create(88f));
        var n = Vector512.Round(x * Vector512.Create(Log2E));
        var r = x - n * Vector512.Create(Ln2High) - n * Vector512.Create(Ln2Low);
        // Horner: 1 + r(1 + r/2(1 + r/3(1 + r/4(1 + r/5(1 + r/6(1 + r/7))))))
        var p = Vector512.Create(1f / 5040);
        p = p * r + Vector512.Create(1f / 720);
        p = p * r + Vector512.Create(1f / 120);
        p = p * r + Vector512.Create(1f / 24);
        p = p * r + Vector512.Create(1f / 6);
        p = p * r + Vector512.Create(0.5f);
        p = p * r + Vector512<float>.One;
        p = p * r + Vector512<float>.One;
        var scale = (Vector512.ConvertToInt32(n) + Vector512.Create(127)) << 23;
        return p * scale.AsSingle();
    }

    /// <summary><see cref="Exp"/>, but exactly 0 where x is below −87 (instead of the clamp's 1.6e-38), as a correctly
    /// rounded e^x of a masked or far-below-max logit would be: a softmax's zeros stay zeros (attention's masked keys, the
    /// cross-entropy's sums).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ExpOrZero(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512.Create(-87f)), Exp(x), Vector512<float>.Zero);
}
