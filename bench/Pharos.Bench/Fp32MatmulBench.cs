// `fp32-matmul`: float32 matmul throughput and error per precision mode — libtorch's BLAS (`ieee`, the default) and oneDNN
// (`bf16`: torch.backends.mkldnn.matmul.fp32_precision = "bf16", Pharos's `train.fp32_matmul: bf16`) — next to the bf16
// peak, on 2048³ and on the ~110M Llama's training shapes (an MLP up-projection: forward and both backward matmuls). With
// the sid chroot present, PyTorch 2.x runs the same table (bench/peers/torch_fp32_matmul.py). Modes are interleaved in one
// process and each keeps its best of several rounds; errors are against float64 on the same operands. `--cpu-time` (with
// `--threads 1`) times by the process's CPU time instead of the wall clock: a per-core rate that a busy machine disturbs less.
using System.Diagnostics;
using System.Globalization;
using Pharos.Models;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class Fp32MatmulBench
{
    public const string Description = "fp32 matmul GFLOP/s and error vs float64 per mode (BLAS `ieee`, oneDNN `bf16`) against the bf16 peak, 2048³ and the ~110M Llama's training shapes; PyTorch 2.x beside it [--rounds N] [--threads N] [--cpu-time]";

    /// <summary>One matmul of the table: C[M×N] = A·B with K the inner size, written the way the training step does it.</summary>
    internal sealed record Shape(string Name, int M, int N, int K);

    internal static readonly Shape[] Shapes =
    [
        new("2048^3 a.mm(b)", 2048, 2048, 2048),
        new("fwd linear(x[1024x768], W[2048x768])", 1024, 2048, 768),
        new("dgrad gy[1024x2048].mm(W[2048x768])", 1024, 768, 2048),
        new("wgrad gy[1024x2048].t().mm(x[1024x768])", 2048, 768, 1024),
    ];

    /// <summary>The modes of the table: the two fp32 settings and the bf16 tensors that give the peak.</summary>
    static readonly string[] Modes = ["ieee", "bf16", "bf16-tensors"];

    public static int Run(string[] args)
    {
        int rounds = BenchArgs.Int(args, "--rounds", 3), threads = BenchArgs.Int(args, "--threads", Environment.ProcessorCount);
        bool cpuTime = BenchArgs.Flag(args, "--cpu-time");
        set_num_threads(threads);
        Console.WriteLine($"fp32-matmul: {threads} threads, best of {rounds} interleaved rounds × 5 reps by {(cpuTime ? "process CPU time" : "wall clock")}, " +
            $"load {BenchLoad.Now()}; ONEDNN_DEFAULT_FPMATH_MODE='{Environment.GetEnvironmentVariable("ONEDNN_DEFAULT_FPMATH_MODE")}'");
        var pharos = Measure(rounds, cpuTime);
        Print("pharos (libtorch 2.10)", pharos);
        if (SidChroot.Available(out var why)) Print("pytorch (sid)", Peer(rounds, threads, cpuTime));
        else Console.WriteLine($"pytorch (sid): not run, {why}");
        return 0;
    }

    internal sealed record Cell(double GFlops, double FrobeniusError, double MaxError);

    static Dictionary<(string Shape, string Mode), Cell> Measure(int rounds, bool cpuTime)
    {
        var cells = new Dictionary<(string, string), Cell>();
        string restore = Fp32MatmulPrecision.Current;
        try
        {
            foreach (var shape in Shapes)
            {
                using var scope = NewDisposeScope();
                manual_seed(0);
                var (a, b) = Operands(shape);
                var ops = Modes.ToDictionary(m => m, m => m == "bf16-tensors" ? (a.bfloat16(), b.bfloat16()) : (a, b));
                var best = Modes.ToDictionary(m => m, _ => double.MaxValue);
                for (int r = 0; r < rounds; r++)
                    foreach (var mode in Modes)
                    {
                        Fp32MatmulPrecision.Set(mode == "bf16" ? "bf16" : "ieee");
                        var (x, y) = ops[mode];
                        Multiply(shape, x, y).Dispose();
                        for (int rep = 0; rep < 5; rep++)
                        {
                            var process = Process.GetCurrentProcess();
                            var (clock, cpu) = (Stopwatch.StartNew(), process.TotalProcessorTime);
                            Multiply(shape, x, y).Dispose();
                            process.Refresh();
                            best[mode] = Math.Min(best[mode], cpuTime ? (process.TotalProcessorTime - cpu).TotalSeconds : clock.Elapsed.TotalSeconds);
                        }
                    }
                var reference = Multiply(shape, a.to(float64), b.to(float64));
                foreach (var mode in Modes)
                {
                    Fp32MatmulPrecision.Set(mode == "bf16" ? "bf16" : "ieee");
                    var (x, y) = ops[mode];
                    var error = (Multiply(shape, x, y).to(float64) - reference).abs();
                    cells[(shape.Name, mode)] = new Cell(2.0 * shape.M * shape.N * shape.K / best[mode] / 1e9,
                        (error.norm() / reference.norm()).item<double>(), (error.max() / reference.abs().max()).item<double>());
                }
            }
        }
        finally { Fp32MatmulPrecision.Set(restore); }
        return cells;
    }

    /// <summary>Random operands laid out as the training step holds them (x and gy row-major, W as Linear stores it).</summary>
    static (Tensor A, Tensor B) Operands(Shape s) => s.Name.Split(' ')[0] switch
    {
        "fwd" => (randn(s.M, s.K), randn(s.N, s.K)),
        "wgrad" => (randn(s.K, s.M), randn(s.K, s.N)),
        _ => (randn(s.M, s.K), randn(s.K, s.N)),
    };

    static Tensor Multiply(Shape s, Tensor a, Tensor b) => s.Name.Split(' ')[0] switch
    {
        "fwd" => nn.functional.linear(a, b),
        "wgrad" => a.t().mm(b),
        _ => a.mm(b),
    };

    static void Print(string who, Dictionary<(string Shape, string Mode), Cell> cells)
    {
        string F(double v, string f) => v.ToString(f, CultureInfo.InvariantCulture);
        foreach (var shape in Shapes)
        {
            double peak = cells[(shape.Name, "bf16-tensors")].GFlops;
            foreach (var mode in Modes)
            {
                var c = cells[(shape.Name, mode)];
                Console.WriteLine($"{who} | {shape.Name} | {mode} | gflops={F(c.GFlops, "F0")} share_of_bf16_peak={F(c.GFlops / peak, "F2")} " +
                    $"rel_err_fro={F(c.FrobeniusError, "0.0e0")} max_err_over_max_ref={F(c.MaxError, "0.0e0")}");
            }
            double ieee = cells[(shape.Name, "ieee")].GFlops;
            Console.WriteLine($"{who} | {shape.Name} | ratio_bf16_mode_vs_ieee={F(cells[(shape.Name, "bf16")].GFlops / ieee, "F2")}");
        }
    }

    /// <summary>PyTorch in the sid chroot runs bench/peers/torch_fp32_matmul.py, which prints the same cells as JSON lines.</summary>
    static Dictionary<(string Shape, string Mode), Cell> Peer(int rounds, int threads, bool cpuTime)
    {
        string script = Path.Combine(SidChroot.SharedTemp, $"pharos-fp32-matmul-{Environment.ProcessId}.py");
        File.Copy(Path.Combine(BenchArgs.RepoRoot(), "bench", "peers", "torch_fp32_matmul.py"), script, overwrite: true);
        try
        {
            var start = SidChroot.Command(["python3", SidChroot.Inside(script), "--rounds", rounds.ToString(CultureInfo.InvariantCulture),
                "--threads", threads.ToString(CultureInfo.InvariantCulture), .. cpuTime ? new[] { "--cpu-time" } : []]);
            // torch.set_num_threads does not reach OpenBLAS's own thread pool, which would use every core for the
            // BLAS mode whatever --threads says (before this, a "1 thread" peer figure was a 2-thread one).
            start.Environment["OPENBLAS_NUM_THREADS"] = start.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
            start.RedirectStandardOutput = true;
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"torch_fp32_matmul.py exited with {process.ExitCode}");
            var cells = new Dictionary<(string, string), Cell>();
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!line.StartsWith('{')) continue; // oneDNN's verbose lines when ONEDNN_VERBOSE is set
                using var row = System.Text.Json.JsonDocument.Parse(line);
                var e = row.RootElement;
                if (!e.TryGetProperty("shape", out var name)) { Console.WriteLine($"pytorch (sid): {e.GetProperty("info").GetString()}"); continue; }
                cells[(name.GetString()!, e.GetProperty("mode").GetString()!)] = new Cell(e.GetProperty("gflops").GetDouble(),
                    e.GetProperty("rel_err_fro").GetDouble(), e.GetProperty("max_err").GetDouble());
            }
            return cells;
        }
        finally { File.Delete(script); }
    }
}
