// `memory`: what it takes to train big on this machine. (1) Activation memory of the ~110M Llama at sequence 2,048 (LoRA
// r=16, batch 1, float32) with and without activation checkpointing; (2) one LoRA r=16 step of a randomly initialised
// Llama-3-8B-shaped model in bfloat16 (configs/memory/llama3-8b-lora.yaml: built in memory, sequence 512, checkpointing):
// peak RSS, step time and share of the measured bf16 matmul peak. Each measurement runs in its own process.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Pharos.Models;
using Pharos.Models.Config;
using Pharos.Models.Transformer;
using Pharos.Training;
using Pharos.Training.Adapters;
using Pharos.Training.Checkpoints;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class MemoryBench
{
    public const string Description = "activation memory with/without checkpointing (~110M, seq 2048) and one LoRA step of an 8B-shaped bf16 model (issue 15) [--malloc system: the 8B step on glibc's malloc] [--default-malloc] [--skip-8b]";

    public static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "--probe-activations") return Activations(args[1] == "true", int.Parse(args[2]));
        if (args.Length > 0 && args[0] == "--probe-8b") return EightB();
        int seq = BenchArgs.Int(args, "--seq", 2048);
        // The activation probes measure on glibc's malloc (tcmalloc keeps freed pages for reuse, which RSS would count) with a
        // fixed 1 MB mmap threshold, so that RSS follows the live tensors in both variants alike (SelfProbe.GlibcMalloc).
        bool glibcDefaults = BenchArgs.Flag(args, "--default-malloc");
        var allocator = SelfProbe.GlibcMalloc(glibcDefaults ? null : 1048576);
        Console.WriteLine($"memory: ~110M Llama, LoRA r=16 (all linear), float32, batch 1 x {seq}, one forward+backward per process, {get_num_threads()} threads, " +
            (glibcDefaults ? "glibc malloc defaults" : "glibc malloc, MALLOC_MMAP_THRESHOLD_=1048576"));
        var results = new Dictionary<bool, JsonObject>();
        foreach (var checkpointing in new[] { false, true })
        {
            var r = results[checkpointing] = SelfProbe.Run(allocator, "memory", "--probe-activations", checkpointing ? "true" : "false", seq.ToString());
            Console.WriteLine($"checkpointing={checkpointing}: activation_peak_mb={(double)r["activation_mb"]!:F0} step_s={(double)r["step_s"]!:F2} peak_rss_mb={(double)r["peak_rss_mb"]!:F0}");
        }
        Console.WriteLine($"activation_memory_ratio={(double)results[false]["activation_mb"]! / (double)results[true]["activation_mb"]!:F2}");
        if (BenchArgs.Flag(args, "--skip-8b")) return 0;
        if (EightBModel.NoRoom("8b") is { } skipped)
        {
            Console.WriteLine(skipped);
            return 0;
        }
        double available = EightBModel.AvailableGb();
        // The 8B step as `pharos train` runs it: tcmalloc where installed; --malloc system: glibc with the fixed 1 MB threshold
        // that configs/memory/llama3-8b-lora.yaml asks for without tcmalloc (--default-malloc: glibc's defaults).
        var eightB = BenchArgs.String(args, "--malloc", "default") == "system" ? allocator : new Dictionary<string, string>();
        var big = SelfProbe.Run(eightB, "memory", "--probe-8b");
        Console.WriteLine($"8b: params={(long)big["params"]!} build_s={(double)big["build_s"]!:F0} step_s={(double)big["step_s"]!:F1} peak_rss_gb={(double)big["peak_rss_mb"]! / 1000:F2} " +
            $"bf16_matmul_peak_gflops={(double)big["peak_gflops"]!:F0} share_of_peak={(double)big["share_of_peak"]!:P0} (sequence 512, batch 1, LoRA r=16, checkpointing; " +
            $"{available:F1} GB available before; {(string)big["allocator"]!})");
        return 0;
    }

    /// <summary>Resets this process's peak RSS (VmHWM) to its current RSS, so the next peak is the next step's alone.</summary>
    static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    static Batch RandomBatch(int seq, int vocab)
    {
        var rng = new Random(3);
        var ids = Enumerable.Range(0, seq).Select(_ => rng.Next(3, vocab)).ToArray();
        return BatchBuilder.Build([new PackedSequence(ids, Enumerable.Repeat(true, seq).ToArray(), new int[seq], Enumerable.Range(0, seq).ToArray())], 0, CPU);
    }

    static int Activations(bool checkpointing, int seq)
    {
        using var model = new CausalLM(ConfigReader.Parse(BenchModels.Llama110M), float32, CPU);
        WeightInit.Normal(model, 0);
        var rng = new Generator(1);
        Lora.Apply(model, new LoraOptions { Rank = 16, Alpha = 32, Dropout = 0.05 }, 1, rng);
        if (checkpointing) model.Checkpointing = new ActivationCheckpointing([new GeneratorReplay(rng)]);
        using var batch = RandomBatch(seq, model.Config.VocabSize);
        model.train();
        // A tiny step first, so the kernels' one-time workspaces are not counted as activations of either variant.
        using (var warm = RandomBatch(8, model.Config.VocabSize))
        using (var scope = NewDisposeScope())
        {
            var output = new CausalLmObjective().Loss(model, warm);
            (output.LossSum / output.Units).backward();
        }
        foreach (var p in model.parameters()) p.grad?.zero_();
        GC.Collect();
        double before = SelfProbe.RssMb();
        ResetPeak();
        var clock = Stopwatch.StartNew();
        using (var scope = NewDisposeScope())
        {
            var output = new CausalLmObjective().Loss(model, batch);
            (output.LossSum / output.Units).backward();
        }
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(new JsonObject
        {
            ["activation_mb"] = SelfProbe.PeakRssMb() - before, ["step_s"] = seconds, ["peak_rss_mb"] = SelfProbe.PeakRssMb(),
        }.ToJsonString());
        return 0;
    }

    static int EightB()
    {
        var recipe = EightBModel.LoadRecipe();
        double peak = MatmulPeak.GFlops(dtype: bfloat16);
        var clock = Stopwatch.StartNew();
        // In memory from the config, directly in bfloat16: no float32 copy and no 16 GB file.
        using var model = EightBModel.Create(recipe);
        double build = clock.Elapsed.TotalSeconds;
        var rng = new Generator((ulong)recipe.Seed);
        var lora = new LoraOptions { Rank = recipe.Lora.R, Alpha = recipe.Lora.Alpha, Dropout = recipe.Lora.Dropout, TargetModules = TargetModules.FromRecipe(recipe.Lora.TargetModules), UseRsLora = recipe.Lora.UseRslora, UseDora = recipe.Lora.UseDora };
        Lora.Apply(model, lora, recipe.Seed, rng);
        model.Checkpointing = new ActivationCheckpointing([new GeneratorReplay(rng)]);
        int seq = recipe.Data.SequenceLength;
        var ids = RandomBatch(seq, model.Config.VocabSize).Rows;
        var dir = Directory.CreateTempSubdirectory("pharos-bench-8b-").FullName;
        try
        {
            var result = new Trainer(model, new CausalLmObjective(), new TrainerOptions { MaxSteps = 1, MicroBatchSize = 1, SaveEvery = 0, Method = "lora" },
                new CheckpointStore(dir), [], rng: rng).Run(new SequenceDataset(ids, 1), []);
            double step = result.Elapsed.TotalSeconds;
            // Forward, the layers' recomputation and the input-gradient backward: ~3 forwards (frozen weights get no gradient).
            double flops = 3 * BenchModels.ForwardFlops(model.Config, 1, seq);
            Console.WriteLine(new JsonObject
            {
                ["params"] = model.parameters().Sum(p => p.numel()), ["build_s"] = build, ["step_s"] = step,
                ["peak_rss_mb"] = SelfProbe.PeakRssMb(), ["peak_gflops"] = peak, ["share_of_peak"] = flops / step / 1e9 / peak,
                ["allocator"] = NativeAllocator.Describe(),
            }.ToJsonString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        return 0;
    }
}
