// numpy's pairwise summation of float64 arrays (what ndarray.mean() uses), so bootstrap means round like sacrebleu's.
namespace Pharos.Eval.Metrics.Significance;

internal static class NumpyPairwise
{
    public static double Mean(ReadOnlySpan<double> a) => Sum(a) / a.Length;

    public static double Sum(ReadOnlySpan<double> a)
    {
        var n = a.Length;
        if (n < 8)
        {
            var res = 0.0;
            for (var i = 0; i < n; i++)
                res += a[i];
            return res;
        }
        if (n <= 128)
        {
            Span<double> r = stackalloc double[8];
            a[..8].CopyTo(r);
            var i = 8;
            for (; i < n - (n % 8); i += 8)
                for (var j = 0; j < 8; j++)
                    r[j] += a[i + j];
            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++)
                res += a[i];
            return res;
        }
        var n2 = n / 2;
        n2 -= n2 % 8;
        return Sum(a[..n2]) + Sum(a[n2..]);
    }
}
