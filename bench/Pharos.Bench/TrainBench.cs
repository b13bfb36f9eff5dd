// `train`: training-step tokens/s of a ~110M Llama (batch 4 × 256) in Pharos's Trainer and in each PyTorch peer doing the
// same step (forward, float32 cross-entropy, backward, clipping, AdamW), for LoRA r=16 on q,k,v,o,gate,up,down and for full
// fine-tuning, in bf16 mixed precision (Pharos: train.precision bf16; PyTorch: autocast, float32 master weights, a bf16 base
// under LoRA) and in float32. Steps are interleaved (a Pharos step, then one of each peer's, …) so all see the same load;
// best of N (5 unless --iters) after one warm-up each — more steps than the three it took, because the host moves single steps
// by 5–10% within a run; each side's share of the matmul peak it measures in the compute precision. Every side is measured
// over the same N rounds: a peer's step that runs beside Pharos's warm-up (round 0) is left out as Pharos's own is (the
// peers warm up when their session starts, so it was an extra sample, and often their fastest).

using Pharos.Models;
using Pharos.Models.Loading;
using Pharos.Training;
using Pharos.Training.Adapters;
using Pharos.Training.Checkpoints;
using Pharos.Training.Datasets;
using Pharos.Training.Logging;
using Pharos.Training.Objectives;
using Pharos.Training.Optimizers;
using Pharos.Training.Precision;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class TrainBench
{
    public const string Description = "LoRA (r=16, all linear) and full training-step tokens/s of a ~110M Llama, bf16 and fp32, vs PyTorch [--precisions bf16,fp32] [--iters N] [--lora-only|--full-only] [--no-peers]";

    /// <summary>After each Pharos step (its own time, from its tokens/s), each peer runs one step.</summary>
    sealed class InterleavedSteps(long tokensPerStep, IReadOnlyList<PeerSession> peers) : ITrainingObserver
    {
        public readonly List<double> Seconds = [];
        public readonly List<double>[] PeerSeconds = peers.Select(_ => new List<double>()).ToArray();

        public readonly List<long> Faults = [];
        long faultsBefore = SelfProbe.MinorFaults();

        public void StepDone(StepReport r)
        {
            // Pages first touched since the last step ended (the step's fresh memory; the peers' steps run in other processes).
            long faults = SelfProbe.MinorFaults();
            Faults.Add(faults - faultsBefore);
            Seconds.Add(tokensPerStep / r.TokensPerSecond);
            for (int i = 0; i < peers.Count; i++) PeerSeconds[i].Add((double)peers[i].Send("step")["seconds"]!);
            faultsBefore = SelfProbe.MinorFaults();
        }
    }

    public static int Run(string[] args)
    {
        int batch = BenchArgs.Int(args, "--batch", 4), seq = BenchArgs.Int(args, "--seq", 256), iters = BenchArgs.Int(args, "--iters", 5);
        var methods = args.Contains("--full-only") ? new[] { "full" } : args.Contains("--lora-only") ? ["lora"] : new[] { "lora", "full" };
        var precisions = BenchArgs.String(args, "--precisions", "bf16,fp32").Split(',');
        // Pharos's float32 matmuls (all of fp32's, and the matmul peak) through libtorch's BLAS or oneDNN; the peers keep theirs.
        string fp32Matmul = BenchArgs.String(args, "--fp32-matmul", "ieee");
        using var fp32MatmulScope = Fp32MatmulPrecision.Use(fp32Matmul);
        Console.WriteLine($"train: Llama ~110M, batch {batch} x {seq}, {string.Join(" and ", precisions)}, best of {iters} interleaved steps after 1 warm-up, " +
            $"{get_num_threads()} threads, pharos fp32_matmul {fp32Matmul}, load {BenchLoad.Now()}");
        // --no-peers: Pharos alone (its step without the peers' processes stepping in between).
        var peers = args.Contains("--no-peers") ? [] : TorchPeer.Find(Console.WriteLine);
        using var bench = BenchModels.Create(BenchModels.Llama110M, parent: TorchPeer.SharedFolder(peers));
        var ids = BenchModels.WriteIds(bench, "ids.bin", batch * seq, seed: 1);
        var rows = Rows(ids, batch, seq);
        var config = bench.Model.Config;
        foreach (var precisionName in precisions)
        {
            var precision = PrecisionPolicy.Resolve(precisionName, CPU);
            double peak = MatmulPeak.GFlops(dtype: precision.Compute);
            foreach (var method in methods)
            {
                // Full: forward + input grads + weight grads ≈ 3× forward; LoRA: the frozen weights need no weight grads ≈ 2×.
                double flops = BenchModels.ForwardFlops(config, batch, seq) * (method == "full" ? 3 : 2);
                var sessions = peers.Select(p => p.Session("torch_llama.py", "train-session", "--model", p.Visible(bench.Folder),
                    "--ids", p.Visible(bench.File("ids.bin")), "--batch", batch.ToString(), "--seq", seq.ToString(), "--method", method,
                    "--rank", "16", "--precision", precision.Name)).ToList();
                try
                {
                    var steps = PharosSteps(bench.Folder, rows, method, precision, iters, sessions);
                    // The peak again after the steps, the higher kept: one slow spell during its five products put a share above 100%.
                    peak = Math.Max(peak, MatmulPeak.GFlops(dtype: precision.Compute));
                    double seconds = steps.Seconds.Skip(1).Min();
                    Console.WriteLine($"{precision.Name} {method}: pharos_tokens_per_s={batch * seq / seconds:F0} step_s={seconds:F3} " +
                        $"peak_rss_mb={System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} matmul_peak_gflops={peak:F1} share_of_peak={flops / seconds / 1e9 / peak:P0} " +
                        $"minor_faults_per_step={steps.Faults.Skip(1).Min()}");
                    // Every interleaved step, in order (Pharos's warm-up first), so a slow spell of the host shows where it fell.
                    Console.WriteLine($"{precision.Name} {method}: steps_s pharos={string.Join(",", steps.Seconds.Select(x => x.ToString("F3")))}" +
                        string.Concat(peers.Select((p, i) => $" {p.Name}={string.Join(",", steps.PeerSeconds[i].Select(x => x.ToString("F3")))}")));
                    for (int i = 0; i < peers.Count; i++)
                    {
                        double peerSeconds = steps.PeerSeconds[i].Skip(1).Min(), peerPeak = (double)sessions[i].Send("peak")["matmul_gflops"]!;
                        double peerRss = (double)sessions[i].Send("rss")["peak_mb"]!;
                        Console.WriteLine($"{precision.Name} {method}: {peers[i].Name}_tokens_per_s={batch * seq / peerSeconds:F0} step_s={peerSeconds:F3} peak_rss_mb={peerRss:F0} " +
                            $"matmul_peak_gflops={peerPeak:F1} share_of_peak={flops / peerSeconds / 1e9 / peerPeak:P0} ratio_vs_{peers[i].Name}={peerSeconds / seconds:F2}");
                    }
                }
                finally
                {
                    foreach (var s in sessions) s.Dispose();
                }
            }
        }
        return 0;
    }

    /// <summary>The step's batch: <paramref name="batch"/> rows of <paramref name="seq"/> ids, one document each, every token a target.</summary>
    internal static List<PackedSequence> Rows(long[] ids, int batch, int seq) =>
        Enumerable.Range(0, batch).Select(b => ids.Skip(b * seq).Take(seq).Select(i => (int)i).ToArray())
            .Select(r => new PackedSequence(r, Enumerable.Repeat(true, seq).ToArray(), new int[seq], Enumerable.Range(0, seq).ToArray())).ToList();

    static InterleavedSteps PharosSteps(string folder, List<PackedSequence> rows, string method, PrecisionPolicy precision, int iters, IReadOnlyList<PeerSession> peers)
    {
        using var model = ModelLoader.Load(folder, CPU, precision.ModelDType(float32, trainsBase: method == "full"));
        if (method == "lora") Lora.Apply(model, new LoraOptions { Rank = 16, Alpha = 32, Dropout = 0 }, seed: 0);
        var steps = new InterleavedSteps(rows.Sum(r => r.Ids.Length), peers);
        var options = new TrainerOptions
        {
            MaxSteps = iters + 1, MicroBatchSize = rows.Count, LearningRate = 1e-4, Schedule = DecayShape.Constant, MaxGradNorm = 1.0,
            Method = method, Precision = precision,
        };
        using var dir = new TempFolder();
        new Trainer(model, new CausalLmObjective(), options, new CheckpointStore(dir.Path), [], steps).Run(new SequenceDataset(rows, 1), []);
        return steps;
    }

    sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("pharos-bench-ckpt-").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
