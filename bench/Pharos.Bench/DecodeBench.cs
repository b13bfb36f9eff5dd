// `decode`: decoding tokens/s on the ~110M Llama at batch 1 and 8 — decode steps only, timed after loading and prefill —
// in bfloat16 and float32, against llama.cpp's llama-batched-bench (its S_TG, also measured apart from prompt
// processing) on the same weights converted to GGUF bf16, f16 and f32. On a CPU with AVX512-BF16 llama.cpp's bf16 is its
// fastest unquantised type (measured 136.6 / 331.6 tokens/s at batch 1 / 8 against f16's 119.1 / 184.3), so bf16 is the
// fair peer of Pharos's bf16; f16 is printed too. Batch 1 reads every weight once per token, so its share of the
// measured memory bandwidth says how close decoding is to the memory limit.
using System.Diagnostics;
using Pharos.Models.Generation;
using Pharos.Models.Kernels;
using Pharos.Models.Loading;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class DecodeBench
{
    public const string Description = "decode-only tokens/s at batch 1 and 8 (bf16, fp32) vs llama.cpp llama-batched-bench (bf16, f16, f32) [--compare: also the layers op by op] [--rounds N: both sides N times, alternating, best of each]";

    public static int Run(string[] args)
    {
        int newTokens = BenchArgs.Int(args, "--new-tokens", 64), promptLength = BenchArgs.Int(args, "--prompt", 32), iters = BenchArgs.Int(args, "--iters", 3);
        int[] batches = BenchArgs.String(args, "--batches", "1,8").Split(',').Select(int.Parse).ToArray();
        var dtypes = BenchArgs.String(args, "--dtypes", "bfloat16,float32").Split(',');
        bool compare = BenchArgs.Flag(args, "--compare"), wholeStep = DecodeStepKernel.Enabled;
        int threads = get_num_threads();
        Console.WriteLine($"decode: Llama ~110M, greedy, prompt {promptLength} then {newTokens} decode steps timed, best of {iters}, {threads} threads, load {LoadAverage()}" +
            (compare ? ", each measurement also run with the layers op by op (--compare)" : ""));
        bool peer = LlamaCppPeer.Available(out var why);
        if (!peer) Console.WriteLine($"llama.cpp peer skipped: {why}");
        using var bench = BenchModels.Create(BenchModels.Llama110M, parent: peer ? LlamaCppPeer.SharedTemp : null);
        var prompt = BenchModels.WriteIds(bench, "prompt.bin", promptLength, seed: 2).Select(x => (int)x).ToArray();
        double bandwidth = MemoryBandwidth.ReadGBps();
        Console.WriteLine($"memory_read_gbps={bandwidth:F1} (1 GiB float32 sum)");

        // --rounds N: Pharos's cases, then llama.cpp's, N times over, each side keeping its best: the host's memory rate
        // drifts by ±10–15% within minutes, and alternating gives both sides the same spell of fast and slow memory.
        int rounds = Math.Max(1, BenchArgs.Int(args, "--rounds", 1));
        var ours = new Dictionary<(string, int), double>();
        var theirs = new Dictionary<(string, int), double>();
        var gguf = peer ? LlamaCppPeer.Convert(bench.Folder, "bf16", "f16", "f32") : null;
        for (int round = 1; round <= rounds; round++)
        {
            if (rounds > 1) Console.WriteLine($"round {round} of {rounds}, load {LoadAverage()}");
            foreach (var name in dtypes)
            {
                var dtype = Pharos.Models.DTypes.Parse(name);
                using var model = ModelLoader.Load(bench.Folder, CPU, dtype);
                double weightBytes = model.parameters().Sum(p => (double)p.numel() * p.ElementSize);
                foreach (int batch in batches)
                {
                    // --compare: the layers op by op with the kernels (PHAROS_DECODE_STEP=off), timed in turn with the default.
                    double perOp = double.MaxValue, seconds = double.MaxValue;
                    for (int i = 0; i < iters; i++)
                    {
                        seconds = Math.Min(seconds, DecodeSeconds(model, prompt, batch, newTokens));
                        if (!compare) continue;
                        DecodeStepKernel.Enabled = false;
                        try { perOp = Math.Min(perOp, DecodeSeconds(model, prompt, batch, newTokens)); }
                        finally { DecodeStepKernel.Enabled = wholeStep; }
                    }
                    if (compare)
                        Console.WriteLine($"{name} batch {batch} per-op layers: pharos_tokens_per_s={batch * newTokens / perOp:F1} step_ms={1000 * perOp / newTokens:F2}");
                    // The machine's read rate drifts (a shared host): measure it again right after and keep the highest,
                    // so the share is not flattered by a slow first reading.
                    bandwidth = Math.Max(bandwidth, MemoryBandwidth.ReadGBps());
                    double tps = batch * newTokens / seconds, stepsPerSecond = newTokens / seconds;
                    ours[(name, batch)] = Math.Max(ours.GetValueOrDefault((name, batch)), tps);
                    Console.WriteLine($"{name} batch {batch}: pharos_tokens_per_s={tps:F1} step_ms={1000 / stepsPerSecond:F2} " +
                        $"weights_gb_per_s={weightBytes * stepsPerSecond / 1e9:F1} share_of_memory_bandwidth={weightBytes * stepsPerSecond / 1e9 / bandwidth:P0} memory_read_gbps={bandwidth:F1}");
                }
            }
            if (gguf is null) continue;
            foreach (var type in new[] { "bf16", "f16", "f32" })
            {
                var speeds = LlamaCppPeer.BatchedDecode(gguf[type], promptLength, newTokens, batches, threads);
                foreach (int batch in batches)
                {
                    // llama-batched-bench leaves a row out when a run fails (seen under heavy load): say so instead of stopping.
                    if (!speeds.ContainsKey(batch)) { Console.WriteLine($"{type} batch {batch}: llama.cpp printed no figure for this batch"); continue; }
                    theirs[(type, batch)] = Math.Max(theirs.GetValueOrDefault((type, batch)), speeds[batch]);
                    if (rounds > 1) Console.WriteLine($"{type} batch {batch}: llama_cpp_tokens_per_s={speeds[batch]:F1}");
                }
            }
        }
        if (gguf is null) return 0;
        if (rounds > 1) Console.WriteLine($"best of {rounds} rounds on each side:");
        foreach (var (type, ourType) in new[] { ("bf16", "bfloat16"), ("f16", "bfloat16"), ("f32", "float32") })
            foreach (int batch in batches)
            {
                if (!theirs.TryGetValue((type, batch), out var speed)) continue;
                Console.WriteLine($"{type} batch {batch}: llama_cpp_tokens_per_s={speed:F1}" +
                    (ours.TryGetValue((ourType, batch), out var tps) ? $" pharos_{ourType}_tokens_per_s={tps:F1} ratio_vs_llama_cpp={tps / speed:F2}" : ""));
            }
        return 0;
    }

    /// <summary>Prefills <paramref name="batch"/> copies of the prompt (untimed), then times <paramref name="steps"/> decode steps.</summary>
    internal static double DecodeSeconds(CausalLM model, int[] prompt, int batch, int steps)
    {
        using var decoder = new BatchDecoder(model, batch, capacity: prompt.Length + steps + 1);
        var options = new GenerationOptions { MaxNewTokens = steps + 1 };
        for (int i = 0; i < batch; i++) decoder.Admit(prompt, options);
        while (decoder.Prefilling) decoder.Prefill();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) decoder.Step();
        return sw.Elapsed.TotalSeconds;
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
