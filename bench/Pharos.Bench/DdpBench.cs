// `ddp`: CPT step tokens/s of the ~110M Llama (full fine-tuning) with one global batch (default 4 × 256 tokens in
// micro-batches of 2 rows), in float32 and in bf16 (Pharos's train.precision bf16; PyTorch's autocast), 1 process × 1 thread
// vs 2 processes × 1 thread under mpirun (scaling; goal ≥ 1.8x), and PyTorch DDP (gloo, ranks started as
// torch.distributed.run starts them, 1 thread per rank: Debian sid's torch in its chroot and Debian 12's python3-torch on the host, each
// where present) on the same model, batch and threads (ratio_vs_<peer>_ddp_<precision>; goal ≥ 1.2); memory per rank with
// and without shard_optimizer. `--diagnose` times the step phase by phase instead (DdpPhases) and measures the hardware
// ceiling. Each configuration runs as its own processes (`ddp-rank` is one rank of it), one after the other, once per
// round (`--rounds`, default 2), and keeps its best round.
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
using Pharos.Training.Precision;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class DdpBench
{
    public const string Description = "CPT step tokens/s, fp32 and bf16, 1 vs 2 processes (MPI) vs PyTorch DDP (gloo), ~110M Llama, 1 thread each; memory with/without shard_optimizer; --diagnose: phases and hardware ceiling; --no-peers: Pharos alone; --rounds N (2): every configuration once per round, its best round kept";

    static readonly string[] Launchers = ["/usr/bin/mpirun.openmpi", "/usr/bin/mpirun.mpich"];

    public static int Run(string[] args)
    {
        int batch = BenchArgs.Int(args, "--batch", 4), seq = BenchArgs.Int(args, "--seq", 256), micro = BenchArgs.Int(args, "--micro-batch", 2);
        int iters = BenchArgs.Int(args, "--iters", 3);
        // Every configuration runs once per round, in the same order, and each keeps its best round: a slow spell of this
        // shared host (it has moved whole configurations by 10–25%) then hits one round of each, not one configuration.
        int rounds = BenchArgs.Int(args, "--rounds", 2);
        var precisions = BenchArgs.String(args, "--precisions", "fp32,bf16").Split(',');
        var launcher = Launchers.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("no mpirun.openmpi or mpirun.mpich (apt-get install openmpi-bin)");
        Console.WriteLine($"ddp: Llama ~110M CPT (full), global batch {batch} x {seq} tokens in micro-batches of {micro}, 1 thread per process, "
            + $"best of {iters} steps after 1 warm-up and of {rounds} rounds; {Path.GetFileName(launcher)}; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        var peers = BenchArgs.Flag(args, "--no-peers") ? [] : TorchPeer.Find(Console.WriteLine);
        using var bench = BenchModels.Create(BenchModels.Llama110M, parent: TorchPeer.SharedFolder(peers));
        if (BenchArgs.Flag(args, "--diagnose")) return Diagnose(launcher, bench.Folder, batch, seq, micro, iters);
        var inv = CultureInfo.InvariantCulture;
        foreach (var precision in precisions)
        {
            // bf16: Pharos's train.precision bf16 (bf16 compute, float32 master weights and AdamW); PyTorch's autocast.
            string[] rankArgs = ["ddp-rank", "--model", bench.Folder, "--batch", $"{batch}", "--seq", $"{seq}", "--micro-batch", $"{micro}",
                "--iters", $"{iters}", "--precision", precision];
            var configurations = new List<(string Key, Func<List<RankResult>> Run)>
            {
                ("pharos1", () => Ranks(Worker(rankArgs))),
                ("pharos2", () => Ranks(Mpi(launcher, 2, rankArgs))),
                ("sharded", () => Ranks(Mpi(launcher, 2, [.. rankArgs, "--shard"]))),
            };
            foreach (var peer in peers)
            {
                string[] peerArgs = ["--model", peer.Visible(bench.Folder), "--batch", $"{batch}", "--seq", $"{seq}", "--micro-batch", $"{micro}",
                    "--iters", $"{iters}", "--precision", precision];
                configurations.Add(($"{peer.Name}1", () => TorchRanks(peer, 1, peerArgs)));
                configurations.Add(($"{peer.Name}2", () => TorchRanks(peer, 2, peerArgs)));
            }
            var best = new Dictionary<string, List<RankResult>>();
            for (int round = 0; round < rounds; round++)
                foreach (var (key, run) in configurations)
                {
                    var result = run();
                    if (!best.TryGetValue(key, out var kept) || result[0].StepSeconds < kept[0].StepSeconds) best[key] = result;
                }
            var single = best["pharos1"];
            var two = best["pharos2"];
            Report($"[{precision}] pharos 1 process x 1 thread", single, batch * seq, null);
            Report($"[{precision}] pharos 2 processes x 1 thread", two, batch * seq, single);
            Report($"[{precision}] pharos 2 processes x 1 thread, shard_optimizer", best["sharded"], batch * seq, single);
            foreach (var peer in peers)
            {
                var peerOne = best[$"{peer.Name}1"];
                var peerTwo = best[$"{peer.Name}2"];
                Report($"[{precision}] {peer.Name} 1 process x 1 thread", peerOne, batch * seq, null);
                Report($"[{precision}] {peer.Name} DDP (gloo) 2 processes x 1 thread", peerTwo, batch * seq, peerOne);
                double ratio = peerTwo[0].StepSeconds / two[0].StepSeconds;
                Console.WriteLine(string.Create(inv, $"ratio_vs_{peer.Name}_ddp_{precision}={ratio:F2}"));
                // The issue's figure: Debian 12's python3-torch, float32.
                if (precision == "fp32" && peer.Name == "pytorch_1_13") Console.WriteLine(string.Create(inv, $"ratio_vs_pytorch_ddp={ratio:F2}"));
            }
        }
        return 0;
    }

    /// <summary>The step taken apart phase by phase on 1 and 2 processes, and two independent processes started together,
    /// each doing one rank's share with no communication: what the shared memory system leaves of 2x.</summary>
    static int Diagnose(string launcher, string model, int batch, int seq, int micro, int iters)
    {
        string[] Args(int rows) => ["ddp-phases", "--model", model, "--batch", $"{rows}", "--seq", $"{seq}", "--micro-batch", $"{micro}", "--iters", $"{iters}"];
        var single = Phases(Worker(Args(batch)));
        Say("phases 1 process (global batch)", single);
        Say("phases 2 processes (mpirun)", Phases(Mpi(launcher, 2, Args(batch))));
        var half = Phases(Worker(Args(batch / 2)));
        Say("phases 1 process, half the batch (one rank's share), alone", half);
        var together = new[] { Worker(Args(batch / 2)), Worker(Args(batch / 2)) }.Select(p => Task.Run(() => Phases(p))).ToArray();
        Task.WaitAll(together);
        for (int i = 0; i < together.Length; i++) Say($"phases independent process {i} of 2 started together, half the batch, no communication", together[i].Result);
        double slowest = together.Max(t => t.Result[0]["step_s"]!.GetValue<double>());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ceiling: two processes together take {slowest:F2} s for one rank's share (alone {half[0]["step_s"]!.GetValue<double>():F2} s): "
            + $"scaling_ceiling={single[0]["step_s"]!.GetValue<double>() / slowest:F2}x before any communication"));
        return 0;
    }

    static void Say(string label, List<JsonNode> ranks)
    {
        foreach (var r in ranks)
            Console.WriteLine($"{label} rank {r["rank"]}: " + string.Join(" ", r.AsObject().Where(p => p.Key != "rank")
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value!.GetValue<double>():F3}"))));
    }

    static List<JsonNode> Phases(ProcessStartInfo psi) => RankLines(psi).OrderBy(n => (int)n["rank"]!).ToList();

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

    static List<RankResult> Ranks(ProcessStartInfo psi) => RankLines(psi)
        .Select(n => new RankResult((int)n["rank"]!, (double)n["step_s"]!, (double)n["peak_rss_mb"]!, (double?)n["optimizer_state_mb"] ?? 0))
        .OrderBy(r => r.Rank).ToList();

    /// <summary>Each rank's last stdout line is its JSON result.</summary>
    static List<JsonNode> RankLines(ProcessStartInfo psi)
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
            .Where(l => l is not null).Select(l => JsonNode.Parse(l!)!).ToList();
    }

    static ProcessStartInfo Worker(string[] rankArgs) => new("dotnet", [Path.Combine(AppContext.BaseDirectory, "Pharos.Bench.dll"), .. rankArgs]);

    static ProcessStartInfo Mpi(string launcher, int ranks, string[] rankArgs)
    {
        string[] options = launcher.EndsWith("openmpi", StringComparison.Ordinal) ? ["--allow-run-as-root", "--oversubscribe", "--bind-to", "none"] : [];
        return new ProcessStartInfo(launcher, [.. options, "-np", $"{ranks}", "dotnet", Path.Combine(AppContext.BaseDirectory, "Pharos.Bench.dll"), .. rankArgs]);
    }

    /// <summary>The peer's ranks, each started as torch.distributed.run starts its workers (RANK, WORLD_SIZE, MASTER_ADDR and
    /// MASTER_PORT for the env:// rendezvous) but without its agent: Debian sid's torch is built without libuv, which the
    /// agent's store always asks for, while the workers' store honours USE_LIBUV=0.</summary>
    static List<RankResult> TorchRanks(TorchPeer peer, int ranks, string[] args)
    {
        int port = FreePort();
        var runs = Enumerable.Range(0, ranks).Select(rank =>
        {
            var psi = peer.Python([peer.Script("torch_ddp_llama.py"), .. args]);
            psi.Environment["RANK"] = psi.Environment["LOCAL_RANK"] = $"{rank}";
            psi.Environment["WORLD_SIZE"] = psi.Environment["LOCAL_WORLD_SIZE"] = $"{ranks}";
            psi.Environment["MASTER_ADDR"] = "127.0.0.1";
            psi.Environment["MASTER_PORT"] = $"{port}";
            psi.Environment["USE_LIBUV"] = "0";
            return Task.Run(() => Ranks(psi));
        }).ToArray();
        Task.WaitAll(runs);
        return runs.SelectMany(t => t.Result).OrderBy(r => r.Rank).ToList();
    }

    static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>One rank (or the single process): the Trainer on random tokens, this rank's share of each global batch.</summary>
    public static int RunRank(string[] args)
    {
        int batch = BenchArgs.Int(args, "--batch", 4), seq = BenchArgs.Int(args, "--seq", 256), micro = BenchArgs.Int(args, "--micro-batch", 2);
        int iters = BenchArgs.Int(args, "--iters", 3);
        bool shard = BenchArgs.Flag(args, "--shard");
        var precision = PrecisionPolicy.Resolve(BenchArgs.String(args, "--precision", "fp32"), CPU);
        set_num_threads(1);
        using var group = ProcessGroups.FromEnvironment();
        var parallel = new DataParallel(group);
        if (batch % (micro * group.Size) != 0) throw new ArgumentException($"--batch {batch} must split into micro-batches of {micro} on {group.Size} ranks");
        using var model = ModelLoader.Load(BenchArgs.String(args, "--model", ""), CPU, precision.ModelDType(float32, trainsBase: true));
        var rows = RandomRows(batch * 4, seq, model.Config.VocabSize);
        var options = new TrainerOptions
        {
            MaxSteps = iters + 1, MicroBatchSize = micro, GradientAccumulation = batch / (micro * group.Size), LearningRate = 1e-4,
            Schedule = DecayShape.Constant, MaxGradNorm = 1.0, ShardOptimizer = shard, Precision = precision,
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

    /// <summary>Rows of random token ids (seeded: every rank and run draws the same), every position a target.</summary>
    public static List<PackedSequence> RandomRows(int count, int seq, int vocab)
    {
        var rng = new Random(1);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, seq).Select(_ => rng.Next(3, vocab)).ToArray())
            .Select(r => new PackedSequence(r, Enumerable.Repeat(true, seq).ToArray(), new int[seq], Enumerable.Range(0, seq).ToArray())).ToList();
    }
}
