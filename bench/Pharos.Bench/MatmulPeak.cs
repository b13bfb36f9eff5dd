// Measures the float32 matmul throughput libtorch reaches on this machine right now (shared machines vary run to run).
using System.Diagnostics;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class MatmulPeak
{
    public static double GFlops(int n = 2048, int reps = 5, ScalarType? dtype = null)
    {
        using var scope = NewDisposeScope();
        var a = randn(n, n, dtype: dtype ?? float32);
        var b = randn(n, n, dtype: dtype ?? float32);
        a.matmul(b);
        double best = double.MaxValue;
        for (int i = 0; i < reps; i++)
        {
            var sw = Stopwatch.StartNew();
            a.matmul(b).Dispose();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }
}
