// `decode-profile`: where a bfloat16 decoding step of the ~110M Llama spends its time — the decoding matmul alone on each
// weight shape of the model (its read bandwidth, at 1 and 8 rows), and whole steps with Pharos's kernels on and off,
// interleaved in one process so a busy machine slows both alike. Run it under `perf record` for a per-function split.
using System.Diagnostics;
using Pharos.Models.Kernels;
using Pharos.Models.Loading;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class DecodeProfile
{
    public const string Description = "decode step breakdown: decoding matmul GB/s per weight shape, steps with kernels on/off interleaved [--steps N] [--reps N] [--batches 1,8] [--steps-only] [--kernels-only]";

    public static int Run(string[] args)
    {
        int steps = BenchArgs.Int(args, "--steps", 64), reps = BenchArgs.Int(args, "--reps", 5);
        Console.WriteLine($"decode-profile: {get_num_threads()} threads, load {DecodeBench.LoadAverage()}");
        using var bench = BenchModels.Create(BenchModels.Llama110M);
        using var model = ModelLoader.Load(bench.Folder, CPU, bfloat16);
        using var noGrad = no_grad();
        long[][] shapes = [[2304, 768], [768, 768], [4096, 768], [768, 2048], [32000, 768]];
        foreach (int rows in BenchArgs.Flag(args, "--steps-only") ? [] : new[] { 1, 8 })
            foreach (var shape in shapes)
            {
                using var scope = NewDisposeScope();
                var weight = randn(shape, bfloat16);
                var x = randn([rows, 1, shape[1]], bfloat16);
                SmallBatchMatmul.Linear(x, weight).Dispose();
                int calls = (int)Math.Max(20, 2e9 / (weight.numel() * 2)); // ~2 GB read per measurement
                double best = double.MaxValue;
                for (int r = 0; r < reps; r++)
                {
                    var sw = Stopwatch.StartNew();
                    for (int c = 0; c < calls; c++) SmallBatchMatmul.Linear(x, weight).Dispose();
                    best = Math.Min(best, sw.Elapsed.TotalSeconds / calls);
                }
                Console.WriteLine($"matmul rows {rows} weight {shape[0]}x{shape[1]}: {best * 1e6:F0} us/call {weight.numel() * 2 / best / 1e9:F1} GB/s");
            }
        var prompt = BenchModels.WriteIds(bench, "prompt.bin", 32, seed: 2).Select(x => (int)x).ToArray();
        bool enabled = SmallBatchMatmul.Enabled;
        bool[] variants = BenchArgs.Flag(args, "--kernels-only") ? [true] : [true, false];
        foreach (int batch in BenchArgs.String(args, "--batches", "1,8").Split(',').Select(int.Parse))
        {
            var best = new Dictionary<bool, double> { [true] = double.MaxValue, [false] = double.MaxValue };
            for (int r = 0; r < reps; r++)
                foreach (bool kernels in variants)
                {
                    SmallBatchMatmul.Enabled = kernels && enabled;
                    best[kernels] = Math.Min(best[kernels], DecodeBench.DecodeSeconds(model, prompt, batch, steps) / steps);
                }
            SmallBatchMatmul.Enabled = enabled;
            Console.WriteLine($"batch {batch}: step_ms kernels {best[true] * 1e3:F2}, libtorch {best[false] * 1e3:F2} (best of {reps}, interleaved)");
        }
        return 0;
    }
}
