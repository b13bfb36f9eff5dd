// `ddp`: CPT step tokens/s of the ~110M Llama (full fine-tuning, float32) with one global batch (default 4 × 256 tokens in
// micro-batches of 2 rows), 1 process × 1 thread vs 2 processes × 1 thread under mpirun (scaling; goal ≥ 1.8x), and
// PyTorch DDP (Debian's python3-torch, gloo, torch.distributed.run --nproc_per_node 2, 1 thread per rank) on the same
// model, batch and threads (ratio_vs_pytorch_ddp; goal ≥ 1.2); memory per rank with and without shard_optimizer.
// Each configuration runs as its own processes (`ddp-rank` is one rank of it), one after the other.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Pharos.Models.Loading;
using Pharos.Training;
using Pharos.Training.Checkpoints;
using Pharos.Training.Datasets;
using Pharos.Training.Distributed;
using Pharos.Training.Logging;
using Pharos.Training.Objectives;
using Pharos.Training.Optimizers;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class DdpBench
{
    public const string Description = "CPT step tokens/s, 1 vs 2 processes (MPI) vs PyTorch DDP (gloo), ~110M Llama, 1 thread each; memory with/without shard_optimizer";

    static readonly string[] Launchers = ["/usr/bin/mpirun.openmpi", "/usr/bin/mpirun.mpich"];

    public static int Run(string[] args)
    {
        int batch = BenchArgs.Int(args, "--batch", 4), seq = BenchArgs.Int(args, "--seq", 256), micro = BenchArgs.Int(args, "--micro-batch", 2);
        int iters = BenchArgs.Int(args, "--iters", 3);
        var launcher = Launchers.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("no mpirun.openmpi or mpirun.mpich (apt-get install openmpi-bin)");
        Console.WriteLine($"ddp: Llama ~110M float32 CPT (full), global batch {batch} x {seq} tokens in micro-batches of {micro}, 1 thread per process, "
            + $"best of {iters} steps after 1 warm-up; {Path.GetFileName(launcher)}; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        using var bench = BenchModels.Create(BenchModels.Llama110M);
        string[] rankArgs = ["ddp-rank", "--model", bench.Folder, "--batch", $"{batch}", "--seq", $"{seq}", "--micro-batch", $"{micro}", "--iters", $"{iters}"];

        var single = Ranks(Worker(rankArgs));
        Report("pharos 1 process x 1 thread", single, batch * seq, null);
        var two = Ranks(Mpi(launcher, 2, rankArgs));
        Report("pharos 2 processes x 1 thread", two, batch * seq, single);
        var sharded = Ranks(Mpi(launcher, 2, [.. rankArgs, "--shard"]));
        Report("pharos 2 processes x 1 thread, shard_optimizer", sharded, batch * seq, single);

        if (!PeerProcess.Available(out var why)) { Console.WriteLine($"pytorch peer skipped: {why}"); return 0; }
        var peerOne = Ranks(Torch(1, bench.Folder, batch, seq, micro, iters));
        Report("pytorch 1 process x 1 thread", peerOne, batch * seq, null);
        var peer = Ranks(Torch(2, bench.Folder, batch, seq, micro, iters));
        Report("pytorch DDP (gloo) 2 processes x 1 thread", peer, batch * seq, peerOne);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio_vs_pytorch_ddp={peer[0].StepSeconds / two[0].StepSeconds:F2}"));
        return 0;
    }

    sealed record RankResult(int Rank, double StepSeconds, double PeakRssMb, double OptimizerStateMb);

    static void Report(string label, List<RankResult> ranks, int tokens, List<RankResult>? baseline)
    {
        var inv = CultureInfo.InvariantCulture;
        double tps = tokens / ranks[0].StepSeconds;
        var line = string.Create(inv, $"{label}: tokens_per_s={tps:F0} step_s={ranks[0].StepSeconds:F2}");
        if (baseline is not null) line += string.Create(inv, $" scaling={baseline[0].StepSeconds / ranks[0].StepSeconds:F2}x");
        line += " peak_rss_mb_per_rank=" + string.Join("/", ranks.Select(r => r.PeakRssMb.ToString("F0", inv)));
        if (ranks[0].OptimizerStateMb > 0) line += " optimizer_state_mb_per_rank=" + string.Join("/", ranks.Select(r => r.OptimizerStateMb.ToString("F0", inv)));
        Console.WriteLine(line);
    }

    /// <summary>Each rank's last stdout line is its JSON result.</summary>
    static List<RankResult> Ranks(ProcessStartInfo psi)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.Environment["OMP_NUM_THREADS"] = "1";
        psi.Environment["OPENBLAS_NUM_THREADS"] = "1";
        psi.Environment["PEER_THREADS"] = "1";
        psi.Environment["PHAROS_THREADS"] = "1";
        psi.Environment.Remove("OPENBLAS_CORETYPE");
        psi.Environment.Remove("OPENBLAS_L2_SIZE");
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{psi.FileName} failed ({p.ExitCode}): {stderr.Result}\n{stdout}");
        // Under Open MPI a rank's stdout is a terminal, so a line may start with the console's escape codes.
        return stdout.Split('\n').Select(l => l.IndexOf("{\"rank\"", StringComparison.Ordinal) is int at and >= 0 ? l[at..].Trim() : null)
            .Where(l => l is not null).Select(l => JsonNode.Parse(l!)!)
            .Select(n => new RankResult((int)n["rank"]!, (double)n["step_s"]!, (double)n["peak_rss_mb"]!, (double?)n["optimizer_state_mb"] ?? 0))
            .OrderBy(r => r.Rank).ToList();
    }

    static ProcessStartInfo Worker(string[] rankArgs) => new("dotnet", [Path.Combine(AppContext.BaseDirectory, "Pharos.Bench.dll"), .. rankArgs]);

    static ProcessStartInfo Mpi(string launcher, int ranks, string[] rankArgs)
    {
        string[] options = launcher.EndsWith("openmpi", StringComparison.Ordinal) ? ["--allow-run-as-root", "--oversubscribe", "--bind-to", "none"] : [];
        return new ProcessStartInfo(launcher, [.. options, "-np", $"{ranks}", "dotnet", Path.Combine(AppContext.BaseDirectory, "Pharos.Bench.dll"), .. rankArgs]);
    }

    static ProcessStartInfo Torch(int ranks, string model, int batch, int seq, int micro, int iters) =>
        // --redirects 1 --tee 1: Debian's torch 1.13 on Python 3.11 cannot parse the default "0" (Std.NONE is not iterated);
        // this keeps each rank's stdout on the console (prefixed "[defaultN]:").
        new(PeerProcess.Python, ["-m", "torch.distributed.run", "--standalone", $"--nproc_per_node={ranks}", "--redirects", "1", "--tee", "1",
            Path.Combine(BenchPaths.Peers, "torch_ddp_llama.py"),
            "--model", model, "--batch", $"{batch}", "--seq", $"{seq}", "--micro-batch", $"{micro}", "--iters", $"{iters}"]);

    /// <summary>One rank (or the single process): the Trainer on random tokens, this rank's share of each global batch.</summary>
    public static int RunRank(string[] args)
    {
        int batch = BenchArgs.Int(args, "--batch", 4), seq = BenchArgs.Int(args, "--seq", 256), micro = BenchArgs.Int(args, "--micro-batch", 2);
        int iters = BenchArgs.Int(args, "--iters", 3);
        bool shard = BenchArgs.Flag(args, "--shard");
        set_num_threads(1);
        using var group = ProcessGroups.FromEnvironment();
        var parallel = new DataParallel(group);
        if (batch % (micro * group.Size) != 0) throw new ArgumentException($"--batch {batch} must split into micro-batches of {micro} on {group.Size} ranks");
        using var model = ModelLoader.Load(BenchArgs.String(args, "--model", ""));
        var rng = new Random(1);
        var rows = Enumerable.Range(0, batch * 4).Select(_ => Enumerable.Range(0, seq).Select(_ => rng.Next(3, model.Config.VocabSize)).ToArray())
            .Select(r => new PackedSequence(r, Enumerable.Repeat(true, seq).ToArray(), new int[seq], Enumerable.Range(0, seq).ToArray())).ToList();
        var options = new TrainerOptions
        {
            MaxSteps = iters + 1, MicroBatchSize = micro, GradientAccumulation = batch / (micro * group.Size), LearningRate = 1e-4,
            Schedule = DecayShape.Constant, MaxGradNorm = 1.0, ShardOptimizer = shard,
        };
        var times = new StepTimes();
        var store = new CheckpointStore(Path.Combine(Path.GetTempPath(), "pharos-bench-ddp-unused"), writes: false);
        var result = new Trainer(model, new CausalLmObjective(), options, store, [], times) { Parallel = parallel }.Run(new SequenceDataset(rows, 1), []);
        Console.WriteLine(new JsonObject
        {
            ["rank"] = group.Rank, ["step_s"] = times.Seconds.Skip(1).Min(),
            ["peak_rss_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, ["optimizer_state_mb"] = result.OptimizerStateBytes / 1048576.0,
        }.ToJsonString());
        return 0;
    }
}
