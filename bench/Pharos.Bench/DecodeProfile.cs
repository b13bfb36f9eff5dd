// `decode-profile`: where a bfloat16 decoding step of the ~110M Llama spends its time — the decoding matmul alone on each
// weight shape of the model and over all its weights (read bandwidth at 1 and 8 rows, against libtorch's sum), and whole steps through the layers-in-one-routine path, the per-op kernels and libtorch,
// interleaved in one process so a busy machine slows both alike. Run it under `perf record` for a per-function split.
using System.Diagnostics;
using Pharos.Models.Kernels;
using Pharos.Models.Loading;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class DecodeProfile
{
    public const string Description = "decode step breakdown: decoding matmul GB/s per weight shape, steps through the whole-step routine, the per-op kernels and libtorch, interleaved [--steps N] [--reps N] [--batches 1,8] [--steps-only] [--kernels-only] [--threads N] [--paired [--total N] [--aa] [--batch N] [--steal] [--team] [--sampling] [--mixed]: steps alternating per-op / whole-step (--steal: fixed matmul and attention parts / parts taken over; --mixed: the second half of the rows with a 448-token prompt; --team: kernels on their own threads / on libtorch's OpenMP team; --sampling: seeded rows with top-k and/or top-p or neither, through libtorch / in place), paired] [--prefill [--tokens 16,32,55,128,256] [--prompts N]: one prompt of T tokens, or N at once alone / packed]";

    public static int Run(string[] args)
    {
        int steps = BenchArgs.Int(args, "--steps", 64), reps = BenchArgs.Int(args, "--reps", 5);
        if (BenchArgs.Int(args, "--threads", 0) is > 0 and var threads) set_num_threads(threads);
        Console.WriteLine($"decode-profile: {get_num_threads()} threads, load {DecodeBench.LoadAverage()}");
        using var bench = BenchModels.Create(BenchModels.Llama110M);
        using var model = ModelLoader.Load(bench.Folder, CPU, bfloat16);
        using var noGrad = no_grad();
        if (BenchArgs.Flag(args, "--prefill"))
            return Prefill(model, BenchArgs.String(args, "--tokens", "16,32,55,128,256").Split(',').Select(int.Parse).ToArray(), BenchArgs.Int(args, "--reps", 5),
                BenchArgs.Int(args, "--prompts", 1));
        if (BenchArgs.Flag(args, "--paired"))
            return Paired(bench, model, BenchArgs.Int(args, "--total", 6000), BenchArgs.Flag(args, "--aa"), BenchArgs.Flag(args, "--steal"),
                BenchArgs.Flag(args, "--team"), BenchArgs.Flag(args, "--sampling"), BenchArgs.Int(args, "--batch", 1), BenchArgs.Flag(args, "--mixed"));
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
        if (!BenchArgs.Flag(args, "--steps-only"))
        {
            // Every matmul weight of the model in turn (170 MB, so they come from memory as in decoding), against
            // libtorch summing 1 GiB with the same threads (the machine's read rate).
            var weights = model.parameters().Where(p => p.dim() == 2).Select(p => (Tensor)p).ToList();
            double bytes = weights.Sum(w => w.numel() * 2.0);
            foreach (int rows in new[] { 1, 8 })
            {
                using var scope = NewDisposeScope();
                var inputs = weights.Select(w => randn([rows, 1, w.shape[1]], bfloat16)).ToList();
                double best = double.MaxValue;
                for (int r = 0; r < reps; r++)
                {
                    var sw = Stopwatch.StartNew();
                    for (int i = 0; i < weights.Count; i++) SmallBatchMatmul.Linear(inputs[i], weights[i]).Dispose();
                    best = Math.Min(best, sw.Elapsed.TotalSeconds);
                }
                Console.WriteLine($"matmul rows {rows} over all weights ({bytes / 1e6:F0} MB): {best * 1e3:F2} ms {bytes / best / 1e9:F1} GB/s");
            }
            Console.WriteLine($"libtorch sum of 1 GiB: {MemoryBandwidth.ReadGBps(reps: reps):F1} GB/s");
        }
        var prompt = BenchModels.WriteIds(bench, "prompt.bin", 32, seed: 2).Select(x => (int)x).ToArray();
        // Three paths: the layers as one routine (DecodeStepKernel), op by op with the kernels, op by op in libtorch.
        var paths = new (string Name, bool Kernels, bool WholeStep)[] { ("whole-step", true, true), ("per-op kernels", true, false), ("libtorch", false, false) };
        if (BenchArgs.Flag(args, "--kernels-only")) paths = paths[..1];
        bool kernelsBefore = SmallBatchMatmul.Enabled, stepBefore = DecodeStepKernel.Enabled;
        foreach (int batch in BenchArgs.String(args, "--batches", "1,8").Split(',').Select(int.Parse))
        {
            var best = paths.ToDictionary(p => p.Name, _ => double.MaxValue);
            for (int r = 0; r < reps; r++)
                foreach (var path in paths)
                {
                    (SmallBatchMatmul.Enabled, DecodeStepKernel.Enabled) = (path.Kernels && kernelsBefore, path.WholeStep && stepBefore);
                    best[path.Name] = Math.Min(best[path.Name], DecodeBench.DecodeSeconds(model, prompt, batch, steps) / steps);
                }
            (SmallBatchMatmul.Enabled, DecodeStepKernel.Enabled) = (kernelsBefore, stepBefore);
            Console.WriteLine($"batch {batch}: step_ms " + string.Join(", ", paths.Select(p => $"{p.Name} {best[p.Name] * 1e3:F2}")) +
                $" (best of {reps}, interleaved), load {DecodeBench.LoadAverage()}");
        }
        return 0;
    }

    /// <summary>--prefill: one prompt of T tokens prefilled into a fresh cache row (what `pharos serve` does per prompt),
    /// best of --reps, per T (--tokens): the fixed cost of a pass shows at small T. With --prompts N, N prompts of T
    /// tokens admitted at once (batch generation), prefilled one by one and packed (PackedPrefill), alternating.</summary>
    static int Prefill(Pharos.Models.Transformer.CausalLM model, int[] tokens, int reps, int prompts)
    {
        bool packedBefore = Pharos.Models.Generation.PackedPrefill.Enabled;
        foreach (int t in tokens)
        {
            var ids = Enumerable.Range(0, t).Select(i => 100 + i * 7 % 31000).ToArray();
            var best = new[] { double.MaxValue, double.MaxValue };
            for (int r = 0; r < reps; r++)
                for (int packed = 0; packed < (prompts > 1 ? 2 : 1); packed++)
                {
                    Pharos.Models.Generation.PackedPrefill.Enabled = packed == 1;
                    using var decoder = new Pharos.Models.Generation.BatchDecoder(model, prompts, capacity: t + 8);
                    for (int p = 0; p < prompts; p++) decoder.Admit(ids, new Pharos.Models.Generation.GenerationOptions { MaxNewTokens = 1 });
                    var sw = Stopwatch.StartNew();
                    while (decoder.Prefilling) decoder.Prefill();
                    best[packed] = Math.Min(best[packed], sw.Elapsed.TotalSeconds);
                }
            Pharos.Models.Generation.PackedPrefill.Enabled = packedBefore;
            Console.WriteLine(prompts == 1
                ? $"prefill {t} tokens: {best[0] * 1e3:F1} ms ({t / best[0]:F0} tokens/s)"
                : $"prefill {prompts} x {t} tokens: one by one {best[0] * 1e3:F1} ms, packed {best[1] * 1e3:F1} ms ({best[0] / best[1]:F2}x)");
        }
        return 0;
    }

    /// <summary>--paired: steps alternating between the per-op kernels (A) and the whole-step routine (B) one step
    /// at a time, in runs of 200 from a 32-token prompt, and the mean of each pair's difference with its standard error.
    /// The host's memory rate moves by ±10% within seconds, which hides a change of 1–3% between runs of many steps;
    /// paired steps see the same machine, so a 0.1 ms change per step shows (this is how the step's overheads were
    /// measured). --aa runs B against B: the difference must then be zero within its error. --batch N decodes N copies
    /// of the prompt (--mixed: the second half of them a longer one).</summary>
    static int Paired(BenchModel bench, Pharos.Models.Transformer.CausalLM model, int total, bool aa, bool steal, bool team, bool sampling, int batch, bool mixed)
    {
        var prompt = BenchModels.WriteIds(bench, "prompt.bin", 32, seed: 2).Select(x => (int)x).ToArray();
        // --mixed: rows at different lengths, as a server's are: the second half of the rows attends over a 448-token
        // prompt, the case where fixed halves of the rows are most unequal.
        var longPrompt = BenchModels.WriteIds(bench, "long-prompt.bin", 448, seed: 3).Select(x => (int)x).ToArray();
        const int run = 200;
        var sums = new double[2];
        var counts = new int[2];
        var differences = new List<double>();
        bool before = DecodeStepKernel.Enabled, stealing = SmallBatchMatmul.Stealing, inPlace = Pharos.Models.Generation.InPlaceSampling.Enabled,
            onTeam = KernelPool.OnOpenMpThreads;
        try
        {
            double previous = 0;
            for (int done = 0; done < total; done += run)
            {
                using var decoder = new Pharos.Models.Generation.BatchDecoder(model, batch, capacity: (mixed ? longPrompt : prompt).Length + run + 8);
                for (int row = 0; row < batch; row++)
                    decoder.Admit(mixed && row >= batch / 2 ? longPrompt : prompt, sampling
                        ? new Pharos.Models.Generation.GenerationOptions
                        {
                            MaxNewTokens = run + 1, Temperature = row % 2 == 0 ? 0.7 : 1.0, TopK = row % 2 == 0 ? 40 : 0,
                            TopP = row % 4 < 2 ? 0.9 : 1.0, Seed = row,
                        }
                        : new Pharos.Models.Generation.GenerationOptions { MaxNewTokens = run + 1 });
                while (decoder.Prefilling) decoder.Prefill();
                for (int i = 0; i < run; i++)
                {
                    int v = i % 2;
                    if (sampling) Pharos.Models.Generation.InPlaceSampling.Enabled = v == 1 || aa; // whatever PHAROS_INPLACE_SAMPLING says
                    else if (steal) SmallBatchMatmul.Stealing = v == 1 || aa; // whatever PHAROS_MATMUL_STEALING says
                    else if (team) KernelPool.OnOpenMpThreads = v == 1 || aa;
                    else DecodeStepKernel.Enabled = before && (v == 1 || aa);
                    long start = Stopwatch.GetTimestamp();
                    decoder.Step();
                    double t = Stopwatch.GetElapsedTime(start).TotalSeconds;
                    if (i < 4) continue; // the decoder's first steps warm up
                    sums[v] += t;
                    counts[v]++;
                    if (v == 1) differences.Add(previous - t);
                    previous = t;
                }
            }
        }
        finally
        {
            DecodeStepKernel.Enabled = before; SmallBatchMatmul.Stealing = stealing; Pharos.Models.Generation.InPlaceSampling.Enabled = inPlace;
            KernelPool.OnOpenMpThreads = onTeam;
        }
        double mean = differences.Average();
        double error = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (differences.Count - 1) / differences.Count);
        string a = aa ? "whole-step" : sampling ? "tensor sampling" : steal ? "fixed parts" : team ? "own threads" : "per-op kernels";
        string b = team && !aa ? "OpenMP team" : "whole-step";
        Console.WriteLine($"batch {batch}, paired steps: {a} {sums[0] / counts[0] * 1e3:F3} ms, {b} {sums[1] / counts[1] * 1e3:F3} ms; " +
            $"A − B per step {mean * 1e6:F0} ± {error * 1e6:F0} us (mean ± standard error, {differences.Count} pairs), load {DecodeBench.LoadAverage()}");
        return 0;
    }
}
