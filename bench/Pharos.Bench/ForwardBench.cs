// `forward`: forward tokens/s of a ~110M Llama (float32, batch 4 × 256) in Pharos and in PyTorch on the same weights and ids.
using System.Diagnostics;
using Pharos.Models.Loading;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class ForwardBench
{
    public static int Run(string[] args)
    {
        int batch = BenchArgs.Int(args, "--batch", 4), seq = BenchArgs.Int(args, "--seq", 256), iters = BenchArgs.Int(args, "--iters", 3);
        Console.WriteLine($"forward: Llama ~110M, float32, batch {batch} x {seq}, best of {iters}, {get_num_threads()} threads");
        var folder = BenchModels.WriteRandom(BenchModels.Llama110M);
        try
        {
            using var model = ModelLoader.Load(folder);
            var rng = new Random(1);
            var ids = Enumerable.Range(0, batch * seq).Select(_ => (long)rng.Next(3, model.Config.VocabSize)).ToArray();
            var idsFile = Path.Combine(folder, "ids.bin");
            File.WriteAllBytes(idsFile, ids.SelectMany(BitConverter.GetBytes).ToArray());

            using var input = tensor(ids, int64).reshape(batch, seq);
            using var noGrad = no_grad();
            float[] lastLogits;
            using (var logits = model.Forward(input)) lastLogits = logits[0, -1].data<float>().ToArray();
            double best = double.MaxValue;
            for (int i = 0; i < iters; i++)
            {
                var sw = Stopwatch.StartNew();
                model.Forward(input).Dispose();
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }
            double peak = MatmulPeak.GFlops();
            double flops = BenchModels.ForwardFlops(model.Config, batch, seq);
            double pharosTps = batch * seq / best;
            Console.WriteLine($"pharos_tokens_per_s={pharosTps:F0} step_s={best:F3} matmul_peak_gflops={peak:F1} share_of_peak={flops / best / 1e9 / peak:P0}");

            if (!PeerProcess.Available(out var why)) { Console.WriteLine($"pytorch peer skipped: {why}"); return 0; }
            var logitsFile = Path.Combine(folder, "peer_logits.bin");
            var peer = PeerProcess.Run("torch_llama.py", "forward", "--model", folder, "--ids", idsFile,
                "--batch", batch.ToString(), "--seq", seq.ToString(), "--iters", iters.ToString(), "--logits-out", logitsFile);
            double peerTps = (double)peer["tokens_per_s"]!, peerSeconds = (double)peer["seconds"]!, peerPeak = (double)peer["matmul_gflops"]!;
            var peerLogits = BenchArgs.ReadFloats(logitsFile);
            double maxDiff = lastLogits.Zip(peerLogits, (a, b) => Math.Abs(a - b)).Max();
            Console.WriteLine($"pytorch_tokens_per_s={peerTps:F0} step_s={peerSeconds:F3} matmul_peak_gflops={peerPeak:F1} share_of_peak={flops / peerSeconds / 1e9 / peerPeak:P0}");
            Console.WriteLine($"logits_max_abs_diff={maxDiff:E2}");
            Console.WriteLine($"ratio_vs_pytorch={pharosTps / peerTps:F2}");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
