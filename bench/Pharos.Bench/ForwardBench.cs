// `forward`: forward tokens/s of a ~110M Llama (batch 4 × 256) in Pharos and in each PyTorch peer on the same weights and
// ids, in float32 and bfloat16, iterations interleaved (Pharos, each peer, Pharos, …) so all see the same load; best of N
// each, and each side's share of the matmul peak it measures in that precision.
using System.Diagnostics;
using Pharos.Models;
using Pharos.Models.Loading;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class ForwardBench
{
    public const string Description = "forward tokens/s of a ~110M Llama, float32 and bfloat16, vs PyTorch 2.14 (sid) and 1.13 (Debian 12)";

    public static int Run(string[] args)
    {
        int batch = BenchArgs.Int(args, "--batch", 4), seq = BenchArgs.Int(args, "--seq", 256), iters = BenchArgs.Int(args, "--iters", 5);
        var dtypes = BenchArgs.String(args, "--dtypes", "float32,bfloat16").Split(',');
        Console.WriteLine($"forward: Llama ~110M, batch {batch} x {seq}, {string.Join(" and ", dtypes)}, best of {iters} interleaved, " +
            $"{get_num_threads()} threads, load {BenchLoad.Now()}");
        var peers = TorchPeer.Find(Console.WriteLine);
        using var bench = BenchModels.Create(BenchModels.Llama110M, parent: TorchPeer.SharedFolder(peers));
        var ids = BenchModels.WriteIds(bench, "ids.bin", batch * seq, seed: 1);
        using var input = tensor(ids, int64).reshape(batch, seq);
        double flops = BenchModels.ForwardFlops(bench.Model.Config, batch, seq);
        foreach (var name in dtypes)
        {
            var dtype = DTypes.Parse(name);
            using var model = ModelLoader.Load(bench.Folder, CPU, dtype);
            using var noGrad = no_grad();
            float[] lastLogits;
            using (var logits = model.Forward(input)) lastLogits = logits[0, -1].to(float32).data<float>().ToArray();
            double Pharos()
            {
                var sw = Stopwatch.StartNew();
                model.Forward(input).Dispose();
                return sw.Elapsed.TotalSeconds;
            }
            var sessions = peers.Select(p => (Peer: p, Session: p.Session("torch_llama.py", "forward-session", "--model", p.Visible(bench.Folder),
                "--ids", p.Visible(bench.File("ids.bin")), "--batch", batch.ToString(), "--seq", seq.ToString(), "--dtype", name,
                "--logits-out", p.Visible(bench.File($"{p.Name}_logits.bin"))))).ToList();
            try
            {
                double best = double.MaxValue;
                var peerBest = sessions.Select(_ => double.MaxValue).ToArray();
                for (int i = 0; i < iters; i++)
                {
                    best = Math.Min(best, Pharos());
                    for (int s = 0; s < sessions.Count; s++) peerBest[s] = Math.Min(peerBest[s], (double)sessions[s].Session.Send("run")["seconds"]!);
                }
                double peak = MatmulPeak.GFlops(dtype: dtype);
                Console.WriteLine($"{name}: pharos_tokens_per_s={batch * seq / best:F0} step_s={best:F3} matmul_peak_gflops={peak:F1} share_of_peak={flops / best / 1e9 / peak:P0}");
                for (int s = 0; s < sessions.Count; s++)
                {
                    var (peer, session) = sessions[s];
                    double peerPeak = (double)session.Send("peak")["matmul_gflops"]!;
                    var peerLogits = BenchArgs.ReadFloats(bench.File($"{peer.Name}_logits.bin"));
                    Console.WriteLine($"{name}: {peer.Name}_tokens_per_s={batch * seq / peerBest[s]:F0} step_s={peerBest[s]:F3} matmul_peak_gflops={peerPeak:F1} " +
                        $"share_of_peak={flops / peerBest[s] / 1e9 / peerPeak:P0} logits_max_abs_diff={lastLogits.Zip(peerLogits, (a, b) => Math.Abs(a - b)).Max():E2} " +
                        $"ratio_vs_{peer.Name}={peerBest[s] / best:F2}");
                }
            }
            finally
            {
                foreach (var (_, session) in sessions) session.Dispose();
            }
        }
        return 0;
    }
}
