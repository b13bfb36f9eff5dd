// `train`: training-step tokens/s of a ~110M Llama (float32, batch 4 × 256) in Pharos's Trainer and in a PyTorch peer
// doing the same step (forward, float32 cross-entropy, backward, clipping, AdamW), for LoRA r=16 on q,k,v,o,gate,up,down
// and for full fine-tuning; also peak memory and the share of the measured matmul peak.
using System.Diagnostics;
using Pharos.Models.Loading;
using Pharos.Training;
using Pharos.Training.Adapters;
using Pharos.Training.Checkpoints;
using Pharos.Training.Datasets;
using Pharos.Training.Logging;
using Pharos.Training.Objectives;
using Pharos.Training.Optimizers;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class TrainBench
{
    public const string Description = "LoRA (r=16, all linear) and full training-step tokens/s of a ~110M Llama vs PyTorch";

    public static int Run(string[] args)
    {
        int batch = BenchArgs.Int(args, "--batch", 4), seq = BenchArgs.Int(args, "--seq", 256), iters = BenchArgs.Int(args, "--iters", 3);
        var methods = args.Contains("--full-only") ? new[] { "full" } : args.Contains("--lora-only") ? ["lora"] : new[] { "lora", "full" };
        Console.WriteLine($"train: Llama ~110M, float32, batch {batch} x {seq}, best of {iters} steps after 1 warm-up, {get_num_threads()} threads");
        using var bench = BenchModels.Create(BenchModels.Llama110M);
        var folder = bench.Folder;
        var rng = new Random(1);
        var ids = Enumerable.Range(0, batch * seq).Select(_ => rng.Next(3, 32000)).ToArray();
        var idsFile = Path.Combine(folder, "ids.bin");
        File.WriteAllBytes(idsFile, ids.SelectMany(i => BitConverter.GetBytes((long)i)).ToArray());
        var rows = Enumerable.Range(0, batch).Select(b => ids.Skip(b * seq).Take(seq).ToArray())
            .Select(r => new PackedSequence(r, Enumerable.Repeat(true, seq).ToArray(), new int[seq], Enumerable.Range(0, seq).ToArray())).ToList();
        double peak = MatmulPeak.GFlops();
        bool peer = PeerProcess.Available(out var why);
        if (!peer) Console.WriteLine($"pytorch peer skipped: {why}");
        foreach (var method in methods)
        {
            var (seconds, memoryMb) = PharosStep(folder, rows, method, iters);
            var config = Pharos.Models.Config.ConfigReader.ReadFolder(folder);
            // Full: forward + input grads + weight grads ≈ 3× forward; LoRA: the frozen weights need no weight grads ≈ 2×.
            double flops = BenchModels.ForwardFlops(config, batch, seq) * (method == "full" ? 3 : 2);
            double tps = batch * seq / seconds;
            Console.WriteLine($"{method}: pharos_tokens_per_s={tps:F0} step_s={seconds:F3} peak_rss_mb={memoryMb:F0} matmul_peak_gflops={peak:F1} share_of_peak={flops / seconds / 1e9 / peak:P0}");
            if (!peer) continue;
            var result = PeerProcess.Run("torch_llama.py", "train", "--model", folder, "--ids", idsFile, "--batch", batch.ToString(),
                "--seq", seq.ToString(), "--iters", iters.ToString(), "--method", method, "--rank", "16");
            double peerSeconds = (double)result["seconds"]!, peerPeak = (double)result["matmul_gflops"]!;
            Console.WriteLine($"{method}: pytorch_tokens_per_s={(double)result["tokens_per_s"]!:F0} step_s={peerSeconds:F3} peak_rss_mb={(double)result["peak_mb"]!:F0} matmul_peak_gflops={peerPeak:F1} share_of_peak={flops / peerSeconds / 1e9 / peerPeak:P0}");
            Console.WriteLine($"{method}: ratio_vs_pytorch={peerSeconds / seconds:F2}");
        }
        return 0;
    }

    static (double Seconds, double PeakMb) PharosStep(string folder, List<PackedSequence> rows, string method, int iters)
    {
        using var model = ModelLoader.Load(folder);
        if (method == "lora") Lora.Apply(model, new LoraOptions { Rank = 16, Alpha = 32, Dropout = 0 }, seed: 0);
        var times = new StepTimes();
        var options = new TrainerOptions { MaxSteps = iters + 1, MicroBatchSize = rows.Count, LearningRate = 1e-4, Schedule = DecayShape.Constant, MaxGradNorm = 1.0, Method = method };
        using var dir = new TempFolder();
        new Trainer(model, new CausalLmObjective(), options, new CheckpointStore(dir.Path), [], times).Run(new SequenceDataset(rows, 1), []);
        // Step times are taken before the end-of-run checkpoint is written; the first step (warm-up) is left out.
        var steps = times.Seconds.Skip(1).ToList();
        return (steps.Min(), Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0);
    }

    sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("pharos-bench-ckpt-").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
