// `precision-quality`: does bf16 mixed precision train as well as float32? From the quickstart's CPT'd base model (cached, the
// same one sparselora-quality uses) it runs the quickstart's SFT stage (its data mix, batch and schedule; full fine-tuning)
// once per precision, same seed and data order, and compares the eval-loss curves; the goal is bf16 within 0.5% of fp32.
// An arm named PRECISION-onednn runs that precision with train.fp32_matmul: bf16 (float32 matmuls through oneDNN).
using System.Globalization;
using Pharos.Eval.Reports;
using Pharos.Training;
using Pharos.Training.Logging;
using Pharos.Training.Recipes;

namespace Pharos.Bench;

internal static class PrecisionQualityBench
{
    public const string Description = "eval loss of the quickstart's SFT in bf16 mixed precision vs float32 (200 steps), plot in docs/";

    public static int Run(string[] args)
    {
        int steps = BenchArgs.Int(args, "--steps", 200);
        var precisions = BenchArgs.String(args, "--precisions", "fp32,bf16").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var methods = BenchArgs.String(args, "--methods", "full").Split(',', StringSplitOptions.RemoveEmptyEntries);
        TorchSharp.torch.set_num_threads(BenchArgs.Int(args, "--threads", 1));
        var work = Path.GetFullPath(BenchArgs.String(args, "--work", Path.Combine(BenchPaths.Root, "runs", "sparselora-quality")));
        Console.WriteLine($"precision-quality: the quickstart's SFT, {steps} steps, arms {string.Join(", ", precisions)} × {string.Join(", ", methods)}; work {work}");
        var size = QuickstartBase.Sizes.Single(s => s.Name == "small");
        var baseModel = QuickstartBase.Cpt(size, QuickstartBase.Tokenizer(work), Path.Combine(work, "small", "cpt"));
        foreach (var method in methods)
        {
            var arms = precisions.Select(p => Sft(baseModel, p, method, steps, Path.Combine(work, "small", $"precision-{method}-{p}"))).ToList();
            // The docs' plot is the default arms'; other arm sets get their own file.
            string plot = precisions.SequenceEqual(["fp32", "bf16"]) ? $"precision-quality-{method}.png" : $"precision-quality-{method}-{string.Join("-", precisions)}.png";
            Report(method, steps, arms, Path.Combine(BenchPaths.Root, "docs", plot));
        }
        return 0;
    }

    sealed record Arm(string Precision, List<(int Step, double Loss)> Eval, TimeSpan Time, double TokensPerSecond);

    static Arm Sft(string baseModel, string arm, string method, int steps, string output)
    {
        const string OneDnn = "-onednn";
        string precision = arm.EndsWith(OneDnn, StringComparison.Ordinal) ? arm[..^OneDnn.Length] : arm;
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        // configs/quickstart.yaml's sft stage (mix, sequence length, batch, lr, schedule); eval every 20 steps for the curve.
        var recipe = new Recipe
        {
            Stage = "sft", Seed = 42, Output = output, Adapter = method,
            Model = new ModelSection { Path = baseModel },
            Data = new DataSection
            {
                SequenceLength = QuickstartBase.SequenceLength, EvalFraction = 0.05, EvalMax = 64,
                Sources =
                [
                    new SourceSection { Name = "translation", Paths = [QuickstartBase.Data("sft-translation.jsonl")], Share = 0.16 },
                    new SourceSection { Name = "translation-instructions", Paths = [QuickstartBase.Data("sft-ifmt.jsonl")], Share = 0.06 },
                    new SourceSection { Name = "general", Paths = [QuickstartBase.Data("sft-general.jsonl")], Share = 0.78 },
                ],
            },
            Train = new TrainSection
            {
                MaxSteps = steps, MicroBatchSize = 8, Lr = 2e-3, WarmupSteps = 10, MinLrRatio = 0.1,
                EvalEvery = Math.Max(1, steps / 10), SaveEvery = 0, Precision = precision,
                Fp32Matmul = arm.EndsWith(OneDnn, StringComparison.Ordinal) ? "bf16" : "ieee",
            },
        };
        RecipeValidator.Validate(recipe);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = StageRunner.Run(recipe, new QuickstartBase.Progress($"{method} {arm}"), evalBefore: true);
        var history = MetricsHistory.Read(result.Metrics);
        var eval = new List<(int, double)> { (0, result.EvalLossBefore ?? double.NaN) };
        eval.AddRange(history.Series("eval/loss"));
        double tps = history.Series("train/tokens_per_second").Skip(1).Select(p => p.Value).DefaultIfEmpty(double.NaN).Average();
        Console.WriteLine($"{method} {arm}: {steps} steps in {clock.Elapsed.TotalMinutes:F1} min, final eval loss {eval[^1].Item2:F4}, mean {tps:F0} tokens/s");
        return new Arm(arm, eval, clock.Elapsed, tps);
    }

    static void Report(string method, int steps, List<Arm> arms, string plot)
    {
        string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
        var reference = arms[0];
        Console.WriteLine($"{method}: final eval loss after {steps} steps, {reference.Precision}={F(reference.Eval[^1].Loss)}");
        foreach (var a in arms.Skip(1))
        {
            double diff = (a.Eval[^1].Loss - reference.Eval[^1].Loss) / reference.Eval[^1].Loss;
            Console.WriteLine($"  {a.Precision}: eval_loss={F(a.Eval[^1].Loss)} relative_diff={diff.ToString("+0.00%;-0.00%", CultureInfo.InvariantCulture)} " +
                $"within_0.5pct={Math.Abs(diff) <= 0.005} time_vs_{reference.Precision}={a.Time / reference.Time:F2}");
        }
        Console.WriteLine($"  curve (step: {string.Join(" | ", arms.Select(a => a.Precision))}):");
        for (int i = 0; i < reference.Eval.Count; i++)
            Console.WriteLine($"    {reference.Eval[i].Step,4}: {string.Join(" | ", arms.Select(a => i < a.Eval.Count ? F(a.Eval[i].Loss) : "-"))}");
        var series = arms.Select(a => new LineSeries(a.Precision, a.Eval.Skip(1).Select(e => (double)e.Step).ToList(), a.Eval.Skip(1).Select(e => e.Loss).ToList())).ToList();
        LineChart.Save(plot, $"quickstart SFT ({method}): eval loss by training precision", "step", "eval loss", series);
        Console.WriteLine($"  plot → {plot}");
    }
}
