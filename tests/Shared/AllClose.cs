// Float comparison for tests as torch.allclose does it: |actual − expected| ≤ atol + rtol·|expected|, element by element.
// Float noise between CPUs, BLAS kernels and summation orders is relative to the values summed, so a purely absolute
// tolerance either hides real errors on small values or fails on large ones (a gradient of 3 has ulps near 2.4e-7, and
// its float32 sums differ by ~1e-5 between kernels). EqualAtScale sets atol from the largest |expected| of a tensor:
// an element that cancels to near zero carries the noise of the terms it was summed from, not its own magnitude.
namespace Pharos.Tests;

internal static partial class AllClose
{
    public static bool Within(double expected, double actual, double rtol, double atol) =>
        expected.Equals(actual) || Math.Abs(actual - expected) <= atol + rtol * Math.Abs(expected);

    public static void Equal(double expected, double actual, double rtol, double atol, string what)
    {
        if (!Within(expected, actual, rtol, atol))
            throw new Xunit.Sdk.XunitException(
                $"{what}: expected {expected:R}, got {actual:R} (|Δ| {Math.Abs(actual - expected):E3} > atol {atol:E2} + rtol {rtol:E0}·|expected|)");
    }

    public static void Equal(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double rtol, double atol, string what) =>
        Compare(expected, actual, rtol, atol, what, $"atol {atol:E2}");

    /// <summary>atol = atolOfScale × the largest |expected| (the scale of the whole tensor), plus rtol per element.</summary>
    public static void EqualAtScale(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double rtol, double atolOfScale, string what)
    {
        double scale = 0;
        foreach (var e in expected) scale = Math.Max(scale, Math.Abs(e));
        Compare(expected, actual, rtol, atolOfScale * scale, what, $"atol {atolOfScale:E0}·{scale:G4} (largest |expected|)");
    }

    /// <summary>Fails naming the element that exceeds its allowance the most.</summary>
    static void Compare(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double rtol, double atol, string what, string atolText)
    {
        if (expected.Length != actual.Length)
            throw new Xunit.Sdk.XunitException($"{what}: expected {expected.Length} values, got {actual.Length}");
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (Within(expected[i], actual[i], rtol, atol)) continue;
            double excess = Math.Abs(actual[i] - expected[i]) - (atol + rtol * Math.Abs(expected[i]));
            if (double.IsNaN(excess)) excess = double.PositiveInfinity;
            if (worst < 0 || excess > worstExcess) (worst, worstExcess) = (i, excess);
        }
        if (worst >= 0)
            throw new Xunit.Sdk.XunitException(
                $"{what}: element {worst} of {expected.Length}: expected {expected[worst]:R}, got {actual[worst]:R} " +
                $"(|Δ| {Math.Abs(actual[worst] - expected[worst]):E3} > {atolText} + rtol {rtol:E0}·|expected|)");
    }
}
