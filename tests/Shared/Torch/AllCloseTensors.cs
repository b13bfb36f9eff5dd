// AllClose for TorchSharp tensors (compiled into the test projects that reference TorchSharp): same shape, then the
// allclose rule on every element, compared in float64 so the check itself adds no rounding.
using TorchSharp;

namespace Pharos.Tests;

internal static partial class AllClose
{
    public static void Equal(torch.Tensor expected, torch.Tensor actual, double rtol, double atol, string what)
    {
        var (e, a) = Values(expected, actual, what);
        Equal(e, a, rtol, atol, what);
    }

    /// <summary>atol = atolOfScale × the largest |expected| in the tensor, plus rtol per element (see AllClose.cs).</summary>
    public static void EqualAtScale(torch.Tensor expected, torch.Tensor actual, double rtol, double atolOfScale, string what)
    {
        var (e, a) = Values(expected, actual, what);
        EqualAtScale(e, a, rtol, atolOfScale, what);
    }

    static (double[] Expected, double[] Actual) Values(torch.Tensor expected, torch.Tensor actual, string what)
    {
        if (!expected.shape.SequenceEqual(actual.shape))
            throw new Xunit.Sdk.XunitException($"{what}: expected shape [{string.Join(", ", expected.shape)}], got [{string.Join(", ", actual.shape)}]");
        return (Float64(expected), Float64(actual));
    }

    static double[] Float64(torch.Tensor t)
    {
        using var d = t.detach().cpu().to(torch.float64).contiguous();
        return d.data<double>().ToArray();
    }
}
