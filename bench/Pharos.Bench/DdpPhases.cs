// `ddp-phases`: one rank of the `ddp --diagnose` breakdown. The Trainer's CPT step taken apart and timed phase by phase on
// this rank (forward+backward of its micro-batches, the wait at a barrier for the slower rank, the gradient all-reduce,
// the gradient norm, the AdamW update with clipping folded in), in wall and CPU seconds, so the gap between 2 processes
// and a perfect 2x can be assigned to a phase. Run alone (no mpirun) it is one process with no communication: two of
// them started together measure what the shared memory system leaves of 2x (the hardware ceiling).
using System.Diagnostics;
using System.Text.Json.Nodes;
using Pharos.Models.Loading;
using Pharos.Training.Datasets;
using Pharos.Training.Distributed;
using Pharos.Training.Objectives;
using Pharos.Training.Optimizers;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class DdpPhases
{
    static readonly string[] Phases = ["forward_backward", "wait", "all_reduce", "norm", "update"];

    public static int RunRank(string[] args)
    {
        int batch = BenchArgs.Int(args, "--batch", 4), seq = BenchArgs.Int(args, "--seq", 256), micro = BenchArgs.Int(args, "--micro-batch", 2);
        int iters = BenchArgs.Int(args, "--iters", 3);
        set_num_threads(1);
        using var group = ProcessGroups.FromEnvironment();
        var parallel = new DataParallel(group);
        int perRank = batch / group.Size;
        using var model = ModelLoader.Load(BenchArgs.String(args, "--model", ""));
        var rows = DdpBench.RandomRows(batch, seq, model.Config.VocabSize);
        var mine = rows.Skip(group.Rank * perRank).Take(perRank).Chunk(micro).Select((r, i) => BatchBuilder.Build(r, 0, model.Device, i)).ToList();
        IObjective objective = new CausalLmObjective();
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToList();
        using var optimizer = new AdamW(trainable, parallel: parallel);
        var parameters = trainable.Select(t => t.parameter).ToList();
        long units = parallel.Sum(mine.Sum(objective.UnitsOf));
        // Wall seconds, and this process's CPU seconds (what a phase costs whether or not other programs share the cores;
        // MPI polls while it waits, so a wait is CPU time too), and page faults (fresh gradient and activation memory).
        var best = Phases.ToDictionary(p => p, _ => double.MaxValue);
        var bestCpu = Phases.ToDictionary(p => p, _ => double.MaxValue);
        double bestStep = double.MaxValue, bestStepCpu = double.MaxValue;
        long fewestFaults = long.MaxValue;
        var self = Process.GetCurrentProcess();
        model.train();
        for (int step = 0; step <= iters; step++)
        {
            var seconds = new Dictionary<string, double>();
            var cpu = new Dictionary<string, double>();
            long faults = SelfProbe.MinorFaults();
            var clock = Stopwatch.StartNew();
            self.Refresh();
            var cpuMark = self.TotalProcessorTime;
            void Lap(string phase)
            {
                seconds[phase] = clock.Elapsed.TotalSeconds;
                self.Refresh();
                cpu[phase] = (self.TotalProcessorTime - cpuMark).TotalSeconds;
                cpuMark = self.TotalProcessorTime;
                clock.Restart();
            }
            foreach (var b in mine)
            {
                using var scope = NewDisposeScope();
                (objective.Loss(model, b).LossSum / units).backward();
            }
            Lap("forward_backward");
            group.Barrier();
            Lap("wait");
            // As AdamW.Apply does: every read of a .grad is a new handle that keeps the gradient alive until disposed, so
            // without a scope each step's gradients (440 MB in float32) wait for the garbage collector beside the next's.
            using var stepScope = NewDisposeScope();
            parallel.SumGradients(parameters);
            Lap("all_reduce");
            // As AdamW.Apply does it: the norm, then clipping folded into the update's pass.
            double norm = GradientClipping.GlobalNorm(parameters.Where(p => p.grad is not null).Select(p => (Tensor)p.grad!).ToList());
            Lap("norm");
            optimizer.Update(1e-4, GradientClipping.Coefficient(norm, 1.0));
            optimizer.ZeroGrad();
            Lap("update");
            faults = SelfProbe.MinorFaults() - faults;
            if (step == 0) continue;
            foreach (var (k, v) in seconds) best[k] = Math.Min(best[k], v);
            foreach (var (k, v) in cpu) bestCpu[k] = Math.Min(bestCpu[k], v);
            bestStep = Math.Min(bestStep, seconds.Values.Sum());
            bestStepCpu = Math.Min(bestStepCpu, cpu.Values.Sum());
            fewestFaults = Math.Min(fewestFaults, faults);
        }
        foreach (var b in mine) b.Dispose();
        var result = new JsonObject { ["rank"] = group.Rank, ["step_s"] = bestStep, ["peak_rss_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0 };
        result["step_cpu_s"] = bestStepCpu;
        result["minor_faults_per_step"] = fewestFaults;
        foreach (var (k, v) in best) result[k] = v;
        foreach (var (k, v) in bestCpu) result[k + "_cpu"] = v;
        Console.WriteLine(result.ToJsonString());
        return 0;
    }
}
