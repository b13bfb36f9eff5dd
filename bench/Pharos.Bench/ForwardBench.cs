// `forward`: forward tokens/s of a ~110M Llama (float32, batch 4 × 256) in Pharos and in PyTorch on the same weights
// and ids, iterations interleaved (Pharos, PyTorch, Pharos, …) so both see the same load; best of N each.
using System.Diagnostics;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class ForwardBench
{
    public static int Run(string[] args)
    {
        int batch = BenchArgs.Int(args, "--batch", 4), seq = BenchArgs.Int(args, "--seq", 256), iters = BenchArgs.Int(args, "--iters", 5);
        Console.WriteLine($"forward: Llama ~110M, float32, batch {batch} x {seq}, best of {iters} interleaved, {get_num_threads()} threads");
        using var bench = BenchModels.Create(BenchModels.Llama110M);
        var model = bench.Model;
        var ids = BenchModels.WriteIds(bench, "ids.bin", batch * seq, seed: 1);
        string folder = bench.Folder, idsFile = bench.File("ids.bin");
        using var input = tensor(ids, int64).reshape(batch, seq);
        using var noGrad = no_grad();
        float[] lastLogits;
        using (var logits = model.Forward(input)) lastLogits = logits[0, -1].data<float>().ToArray();
        double Pharos()
        {
            var sw = Stopwatch.StartNew();
            model.Forward(input).Dispose();
            return sw.Elapsed.TotalSeconds;
        }

        double flops = BenchModels.ForwardFlops(model.Config, batch, seq);
        PeerSession? peer = null;
        if (PeerProcess.Available(out var why))
            peer = new PeerSession("torch_llama.py", "forward-session", "--model", folder, "--ids", idsFile,
                "--batch", batch.ToString(), "--seq", seq.ToString(), "--logits-out", Path.Combine(folder, "peer_logits.bin"));
        else
            Console.WriteLine($"pytorch peer skipped: {why}");
        using (peer)
        {
            double best = double.MaxValue, peerBest = double.MaxValue;
            for (int i = 0; i < iters; i++)
            {
                best = Math.Min(best, Pharos());
                if (peer is not null) peerBest = Math.Min(peerBest, (double)peer.Send("run")["seconds"]!);
            }
            double peak = MatmulPeak.GFlops();
            Console.WriteLine($"pharos_tokens_per_s={batch * seq / best:F0} step_s={best:F3} matmul_peak_gflops={peak:F1} share_of_peak={flops / best / 1e9 / peak:P0}");
            if (peer is null) return 0;
            double peerPeak = (double)peer.Send("peak")["matmul_gflops"]!;
            var peerLogits = BenchArgs.ReadFloats(Path.Combine(folder, "peer_logits.bin"));
            Console.WriteLine($"pytorch_tokens_per_s={batch * seq / peerBest:F0} step_s={peerBest:F3} matmul_peak_gflops={peerPeak:F1} share_of_peak={flops / peerBest / 1e9 / peerPeak:P0}");
            Console.WriteLine($"logits_max_abs_diff={lastLogits.Zip(peerLogits, (a, b) => Math.Abs(a - b)).Max():E2}");
            Console.WriteLine($"ratio_vs_pytorch={peerBest / best:F2}");
        }
        return 0;
    }
}
