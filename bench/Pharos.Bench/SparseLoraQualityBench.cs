// `sparselora-quality`: does SparseLoRA train as well as LoRA? Builds a base model the same way every time (a byte-level BPE
// tokenizer and a short CPT from scratch on samples/data, both cached under --work), then runs the same translation SFT stage
// from the same seed with adapter: lora and adapter: sparselora (each preset), and compares the eval-loss curves.
using System.Globalization;
using System.Text.Json.Nodes;
using Pharos.Eval.Reports;
using Pharos.Training;
using Pharos.Training.Logging;
using Pharos.Training.Recipes;

namespace Pharos.Bench;

internal static class SparseLoraQualityBench
{
    public const string Description = "eval-loss curves of LoRA vs SparseLoRA SFT from the same CPT'd base (small and larger Llama), plot in docs/";

    static bool fresh;
    static int sftMicroBatch;
    static int sftSeed;
    static string precision = "fp32";

    public static int Run(string[] args)
    {
        int steps = BenchArgs.Int(args, "--steps", 200);
        fresh = BenchArgs.Flag(args, "--fresh");
        sftMicroBatch = BenchArgs.Int(args, "--sft-micro-batch", 0);
        // --seed: the SFT arms' seed (data order, LoRA init, dropout); the base model is the same for every seed.
        sftSeed = BenchArgs.Int(args, "--seed", 42);
        // --precision: the SFT arms' train.precision (fp32 by default, as the documented runs; bf16 for mixed precision).
        precision = BenchArgs.String(args, "--precision", "fp32");
        // One libtorch thread by default: on the shared 2-core machine two threads made these small-matmul steps ~5x slower.
        TorchSharp.torch.set_num_threads(BenchArgs.Int(args, "--threads", 1));
        var names = BenchArgs.String(args, "--size", "both") switch { "both" => new[] { "small", "large" }, var one => [one] };
        // An arm is a preset name, or LABEL:key=value:key=value… with keys of the recipe's sparselora section (a variant
        // for ablations, e.g. aggressive-mlp-only:preset=aggressive:layers.4.self_attn=0); its runs go to sft-LABEL.
        var presets = BenchArgs.String(args, "--presets", "aggressive,conservative").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var work = Path.GetFullPath(BenchArgs.String(args, "--work", Path.Combine(BenchPaths.Root, "runs", "sparselora-quality")));
        var docs = Path.Combine(BenchPaths.Root, "docs");
        Console.WriteLine($"sparselora-quality: translation SFT, {steps} steps, seq {QuickstartBase.SequenceLength}, LoRA r=16 all linear, arms lora + {string.Join(", ", presets)}; work {work}");
        var tokenizer = QuickstartBase.Tokenizer(work);
        foreach (var name in names)
        {
            var size = QuickstartBase.Sizes.Single(s => s.Name == name);
            var baseModel = QuickstartBase.Cpt(size, tokenizer, Path.Combine(work, name, "cpt"));
            var curves = new List<(string Arm, List<(int Step, double Loss)> Eval, double FlopReduction, TimeSpan Time)>();
            foreach (var arm in (string[])["lora", .. presets])
                curves.Add(Sft(size, baseModel, arm, steps, Path.Combine(work, name, Suffixed($"sft-{Label(arm)}"))));
            // The documented plots are the default seed's; other seeds (a check of run-to-run spread) plot into the work folder,
            // another precision beside the documented plot with its name as a suffix.
            var plotFolder = sftSeed == 42 ? docs : Path.Combine(work, name);
            Report(size, steps, curves, Path.Combine(plotFolder, Suffixed(name == "small" ? "sparselora-quality" : $"sparselora-quality-{name}") + ".png"));
        }
        return 0;
    }

    /// <summary>One SFT arm on translation pairs; the eval loss at step 0 (before training) starts every curve.</summary>
    static (string, List<(int, double)>, double, TimeSpan) Sft(QuickstartBase.Size size, string baseModel, string arm, int steps, string output)
    {
        // A finished arm with this step count is read back, not retrained (--fresh retrains): arms can be added one at a time.
        if (!fresh && File.Exists(Path.Combine(output, "manifest.json"))
            && JsonNode.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")))!["steps"]?.GetValue<int>() == steps)
        {
            var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")))!;
            var seconds = File.Exists(Path.Combine(output, "seconds.txt")) ? double.Parse(File.ReadAllText(Path.Combine(output, "seconds.txt")), CultureInfo.InvariantCulture) : double.NaN;
            Console.WriteLine($"{size.Name} {arm}: reusing the finished run in {output}");
            return Curve(size, arm, steps, Path.Combine(output, "metrics.jsonl"), manifest["eval_loss_before"]?.GetValue<double>(), TimeSpan.FromSeconds(seconds));
        }
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        var recipe = new Recipe
        {
            Stage = "sft", Seed = sftSeed, Output = output,
            Adapter = arm == "lora" ? "lora" : "sparselora",
            Sparselora = arm == "lora" ? new SparseloraSection { Preset = "none" } : ArmSettings(arm),
            Model = new ModelSection { Path = baseModel },
            Data = new DataSection
            {
                SequenceLength = QuickstartBase.SequenceLength, EvalFraction = 0.05, EvalMax = size.EvalMax,
                Sources = [new SourceSection { Name = "translation", Paths = [QuickstartBase.Data("sft-translation.jsonl")] }],
            },
            Train = new TrainSection
            {
                MaxSteps = steps, MicroBatchSize = sftMicroBatch > 0 ? sftMicroBatch : size.MicroBatch, Lr = 2e-3, WarmupSteps = Math.Max(1, steps / 20), MinLrRatio = 0.1,
                EvalEvery = Math.Max(1, steps / 10), SaveEvery = 0, Precision = precision,
            },
        };
        RecipeValidator.Validate(recipe);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = StageRunner.Run(recipe, new QuickstartBase.Progress($"{size.Name} {arm}"), evalBefore: true);
        File.WriteAllText(Path.Combine(output, "seconds.txt"), clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture));
        return Curve(size, arm, steps, result.Metrics, result.EvalLossBefore, clock.Elapsed);
    }

    /// <summary>An arm's run folder: the default seed and precision keep the plain name.</summary>
    static string Suffixed(string name) => name + (sftSeed == 42 ? "" : $"-seed{sftSeed}") + (precision == "fp32" ? "" : $"-{precision}");

    /// <summary>`aggressive` → that preset; `LABEL:k=v:k=v` → the sparselora section those keys describe.</summary>
    static SparseloraSection ArmSettings(string arm)
    {
        var parts = arm.Split(':');
        return parts.Length == 1 ? new SparseloraSection { Preset = arm } : RecipeBinder.Parse<SparseloraSection>("{}", parts[1..], $"arm {parts[0]}");
    }

    static string Label(string arm) => arm.Split(':')[0];

    /// <summary>The eval-loss curve (step 0 = before training) and the mean FLOP reduction of the sparse steps from metrics.jsonl.</summary>
    static (string, List<(int, double)>, double, TimeSpan) Curve(QuickstartBase.Size size, string arm, int steps, string metrics, double? before, TimeSpan time)
    {
        var history = MetricsHistory.Read(metrics);
        var eval = new List<(int, double)> { (0, before ?? double.NaN) };
        eval.AddRange(history.Series("eval/loss"));
        // Both scalars are logged in the same row of each training step.
        var sparseSteps = history.Series("sparselora/sparse_step").Where(p => p.Value == 1).Select(p => p.Step).ToHashSet();
        var reductions = history.Series("sparselora/flop_reduction").Where(p => sparseSteps.Contains(p.Step)).Select(p => p.Value).ToList();
        Console.WriteLine($"{size.Name} {arm}: {steps} steps in {time.TotalMinutes:F1} min, final eval loss {eval[^1].Item2:F4}" +
            (reductions.Count > 0 ? $", projection FLOP reduction {reductions.Average():F2}x on sparse steps" : ""));
        return (Label(arm), eval, reductions.Count > 0 ? reductions.Average() : 1, time);
    }

    static void Report(QuickstartBase.Size size, int steps, List<(string Arm, List<(int Step, double Loss)> Eval, double FlopReduction, TimeSpan Time)> curves, string plot)
    {
        var lora = curves[0];
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        Console.WriteLine($"{size.Name}: final eval loss after {steps} steps, lora={F(lora.Eval[^1].Loss)}");
        foreach (var c in curves.Skip(1))
        {
            double diff = (c.Eval[^1].Loss - lora.Eval[^1].Loss) / lora.Eval[^1].Loss;
            Console.WriteLine($"  {c.Arm}: eval_loss={F(c.Eval[^1].Loss)} relative_diff={diff.ToString("+0.00%;-0.00%", CultureInfo.InvariantCulture)} " +
                $"within_1pct={Math.Abs(diff) <= 0.01} flop_reduction={c.FlopReduction:F2}x time_vs_lora={c.Time / lora.Time:F2}");
        }
        Console.WriteLine($"  curve (step: {string.Join(" | ", curves.Select(c => c.Arm))}):");
        for (int i = 0; i < lora.Eval.Count; i++)
            Console.WriteLine($"    {lora.Eval[i].Step,4}: {string.Join(" | ", curves.Select(c => i < c.Eval.Count ? F(c.Eval[i].Loss) : "-"))}");
        var series = curves.Select(c => new LineSeries(c.Arm == "lora" ? "LoRA" : $"SparseLoRA {c.Arm}",
            c.Eval.Select(e => (double)e.Step).ToList(), c.Eval.Select(e => e.Loss).ToList())).ToList();
        // Step 0 is the untrained base (far above the rest): the plot starts at the first eval so 1% differences stay visible.
        var trained = series.Select(s => s with { X = s.X.Skip(1).ToList(), Y = s.Y.Skip(1).ToList() }).ToList();
        LineChart.Save(plot, $"{size.Name} model ({size.Shape.NumLayers} layers, hidden {size.Shape.HiddenSize}): translation SFT eval loss",
            "step", "eval loss", trained);
        Console.WriteLine($"  plot → {plot}");
    }

}
