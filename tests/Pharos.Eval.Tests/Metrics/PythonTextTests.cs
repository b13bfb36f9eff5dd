// Python str behaviour the metrics rely on: f"{x:.2f}" ties, repr(), lower() special cases and isspace().
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Tests.Metrics;

public sealed class PythonTextTests
{
    [Theory]
    [InlineData(0.125, 2, "0.12")]    // exact binary tie: Python rounds half to even, .NET "F2" gives 0.13
    [InlineData(0.375, 2, "0.38")]
    [InlineData(2.675, 2, "2.67")]    // 2.675 is 2.67499999... in binary
    [InlineData(100.0, 1, "100.0")]
    [InlineData(0.0, 2, "0.00")]
    [InlineData(0.05, 4, "0.0500")]
    [InlineData(1e-7, 3, "0.000")]
    public void FixedMatchesPythonFormat(double x, int digits, string expected) => Assert.Equal(expected, PythonFormat.Fixed(x, digits));

    [Theory]
    [InlineData(12.35, "12.35")]
    [InlineData(100.0, "100.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    public void ReprMatchesPython(double x, string expected) => Assert.Equal(expected, PythonFormat.Repr(x));

    [Theory]
    [InlineData("ΟΔΟΣ", "οδος")]          // final sigma
    [InlineData("ΣΑΣ Σ", "σας σ")]       // word-initial and isolated sigma stay σ
    [InlineData("İstanbul", "i\u0307stanbul")]
    [InlineData("ǅ Ǆ ẞ", "ǆ ǆ ß")]
    [InlineData("\U00010400", "\U00010428")] // astral (Deseret)
    public void LowerMatchesPython(string input, string expected) => Assert.Equal(expected, PythonText.Lower(input));

    [Fact]
    public void IsSpaceFollowsPython()
    {
        foreach (var c in " \t\n\v\f\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000")
            Assert.True(PythonText.IsSpace(c), $"U+{(int)c:X4}");
        foreach (var c in "a\u200b\ufeff\u180e")
            Assert.False(PythonText.IsSpace(c), $"U+{(int)c:X4}");
    }
}
