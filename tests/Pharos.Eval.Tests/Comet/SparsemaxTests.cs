// sparsemax against values worked out by hand from its definition (projection onto the simplex).
using Pharos.Eval.Comet;
using static TorchSharp.torch;

namespace Pharos.Eval.Tests.Comet;

public class SparsemaxTests
{
    [Theory]
    [InlineData(new[] { 1.0, 0.5, -1.0 }, new[] { 0.75, 0.25, 0.0 })]       // τ = 0.25
    [InlineData(new[] { 0.0, 0.0, 0.0, 0.0 }, new[] { 0.25, 0.25, 0.25, 0.25 })]
    [InlineData(new[] { 3.0, 0.0, 1.0 }, new[] { 1.0, 0.0, 0.0 })]          // one winner takes all
    [InlineData(new[] { 0.2, 0.6, 0.4 }, new[] { 0.1333333333, 0.5333333333, 0.3333333333 })] // τ = 0.0667
    public void Projects_onto_the_simplex(double[] z, double[] expected)
    {
        using var p = Sparsemax.Apply(tensor(z));
        var got = p.data<double>().ToArray();
        for (int i = 0; i < z.Length; i++)
            Assert.Equal(expected[i], got[i], 8);
    }
}
