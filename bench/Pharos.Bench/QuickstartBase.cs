// The base models the quality benchmarks start from, built the same way every time and cached: the quickstart's tokenizer
// (2,048 byte-level BPE tokens on samples/data's CPT texts) and a CPT from scratch in float32 on its monolingual/parallel mix.
using System.Text.Json.Nodes;
using Pharos.Training;
using Pharos.Training.Datasets;
using Pharos.Training.Logging;
using Pharos.Training.Recipes;
using Pharos.Training.Tokenizer;

namespace Pharos.Bench;

internal static class QuickstartBase
{
    /// <summary>A base model: its shape, and how long its CPT from scratch and the SFT run with what batch.</summary>
    public sealed record Size(string Name, NewModelSection Shape, int CptSteps, int MicroBatch, double CptLr, int EvalMax);

    public static readonly Size[] Sizes =
    [
        // The quickstart's model and CPT length (configs/quickstart.yaml): 4 layers, hidden 128, 400 steps of 8 × 256 tokens,
        // lr 3e-3 (its 1% instruction share is left out: monolingual/parallel only).
        new("small", new NewModelSection { Family = "llama", HiddenSize = 128, NumLayers = 4, HeadDim = 32, MaxPositionEmbeddings = 1024 },
            CptSteps: 400, MicroBatch: 8, CptLr: 3e-3, EvalMax: 64),
        // ~14M parameters, 8 layers (so the presets make 6 middle layers sparse): the largest that CPTs in minutes on 2 cores.
        new("large", new NewModelSection { Family = "llama", HiddenSize = 384, NumLayers = 8, HeadDim = 64, MaxPositionEmbeddings = 1024 },
            CptSteps: 150, MicroBatch: 4, CptLr: 1.5e-3, EvalMax: 32),
    ];

    public const int SequenceLength = 256;

    /// <summary>The quickstart's tokenizer: 2,048 byte-level BPE tokens trained on the CPT texts (cached).</summary>
    public static string Tokenizer(string work)
    {
        var folder = Path.Combine(work, "tokenizer");
        if (File.Exists(Path.Combine(folder, "tokenizer.json"))) return folder;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var texts = new[] { "cpt-monolingual.jsonl", "cpt-parallel.jsonl" }.SelectMany(f => Texts(Data(f)));
        var vocab = new BpeTrainer(2048, TokenizerFiles.DefaultSpecials).Train(texts);
        TokenizerFiles.Write(vocab, folder);
        Console.WriteLine($"tokenizer: {vocab.Size} tokens in {clock.Elapsed.TotalSeconds:F0} s → {folder}");
        return folder;
    }

    static IEnumerable<string> Texts(string file)
    {
        using var bad = new BadRecords();
        foreach (var record in RecordReader.Read(file, bad))
            if (record.Json["text"]?.GetValue<string>() is string text) yield return text;
    }

    public static string Data(string file) => Path.Combine(BenchPaths.Root, "samples", "data", file);

    /// <summary>CPT from scratch on the quickstart's monolingual/parallel mix; reused when its model folder exists.</summary>
    public static string Cpt(Size size, string tokenizer, string output)
    {
        var model = Path.Combine(output, "model");
        var manifest = Path.Combine(output, "manifest.json");
        if (File.Exists(manifest) && Directory.Exists(model) && JsonNode.Parse(File.ReadAllText(manifest))!["steps"]?.GetValue<int>() == size.CptSteps)
            return model;
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        var recipe = new Recipe
        {
            Stage = "cpt", Seed = 42, Output = output, Adapter = "full",
            Model = new ModelSection { New = size.Shape, Tokenizer = tokenizer },
            Data = new DataSection
            {
                SequenceLength = SequenceLength, EvalFraction = 0.03, EvalMax = size.EvalMax,
                Sources =
                [
                    new SourceSection { Name = "monolingual", Paths = [Data("cpt-monolingual.jsonl")], Share = 0.66 },
                    new SourceSection { Name = "parallel", Paths = [Data("cpt-parallel.jsonl")], Share = 0.34 },
                ],
            },
            Train = new TrainSection
            {
                MaxSteps = size.CptSteps, MicroBatchSize = size.MicroBatch, Lr = size.CptLr, WarmupSteps = size.CptSteps / 10,
                MinLrRatio = 0.1, WeightDecay = 0.01, EvalEvery = 0, SaveEvery = 0,
                // The same base on every machine, whatever precision its hardware would default to.
                Precision = "fp32",
            },
        };
        RecipeValidator.Validate(recipe);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = StageRunner.Run(recipe, new Progress($"{size.Name} cpt"));
        Console.WriteLine($"{size.Name} base: CPT {result.Train.Steps} steps in {clock.Elapsed.TotalMinutes:F1} min, eval loss {result.Train.EvalLoss:F4} → {model}");
        return model;
    }

    /// <summary>A line every 10% of a stage, so a long bench run shows it is alive.</summary>
    public sealed class Progress(string label) : ITrainingObserver
    {
        public void StepDone(StepReport r)
        {
            if (r.Step % Math.Max(1, r.TotalSteps / 10) == 0)
                Console.WriteLine($"  [{label}] step {r.Step}/{r.TotalSteps} loss {r.Loss:F4} {r.TokensPerSecond:F0} tok/s");
        }

        public void Evaluated(int step, double evalLoss) => Console.WriteLine($"  [{label}] step {step} eval loss {evalLoss:F4}");
    }
}
