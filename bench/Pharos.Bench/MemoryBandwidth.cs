// Measures how fast this machine reads memory right now (libtorch summing a 1 GiB float32 tensor with all its threads):
// the ceiling of decoding at batch 1, which reads every weight once per token.
using System.Diagnostics;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class MemoryBandwidth
{
    public static double ReadGBps(long bytes = 1L << 30, int reps = 5)
    {
        using var scope = NewDisposeScope();
        var data = ones(bytes / 4, dtype: float32);
        data.sum().item<float>();
        double best = double.MaxValue;
        for (int i = 0; i < reps; i++)
        {
            var sw = Stopwatch.StartNew();
            data.sum().item<float>();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return bytes / best / 1e9;
    }
}
