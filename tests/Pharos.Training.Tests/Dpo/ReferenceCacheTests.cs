// precompute_ref_log_probs through StageRunner on stories260K with LoRA: ref_logps.json is keyed on the reference's
// weights, so a rerun after the reference changed (a separate ref_model, or the base whose adapters-off copy is the
// reference) recomputes exactly what a fresh run computes; a complete cache is used without loading the reference.
using System.Text.Json.Nodes;
using Pharos.Models.Loading;
using Pharos.Tests;
using Pharos.Training.Logging;
using Pharos.Training.Recipes;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.Dpo;

public class ReferenceCacheTests
{
    sealed class Messages : ITrainingObserver
    {
        public List<string> Lines { get; } = [];
        public void Message(string text) => Lines.Add(text);
    }

    static string CopyModel(TempDir dir, string name)
    {
        var folder = dir.File(name);
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(RepoPaths.Samples("models", "stories260K"))) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        return folder;
    }

    /// <summary>Another reference in the same folder: the final norm scaled, which moves every log-prob.</summary>
    static void ChangeWeights(string folder)
    {
        using var model = ModelLoader.Load(folder);
        using (no_grad()) model.named_parameters().Single(p => p.name == "model.norm.weight").parameter.mul_(1.5);
        ModelSaver.Save(model, folder);
    }

    static Recipe Recipe(TempDir dir, string basePath, string refModel, string output)
    {
        if (!File.Exists(dir.File("prefs.jsonl")))
            File.WriteAllLines(dir.File("prefs.jsonl"), Enumerable.Range(0, 6).Select(i => new JsonObject
            {
                ["prompt"] = $"Once upon a time {i}", ["chosen"] = " there was a little girl named Lily.", ["rejected"] = " the dog ran away fast.",
            }.ToJsonString()));
        return RecipeBinder.Parse($$"""
            stage: dpo
            seed: 3
            output: {{dir.File(output)}}
            model: {path: {{basePath}}}
            data: {sequence_length: 96, eval_fraction: 0.0, sources: [{name: main, paths: [{{dir.File("prefs.jsonl")}}]}]}
            train: {max_steps: 2, micro_batch_size: 2, lr: 1e-2, schedule: constant, save_every: 0}
            lora: {enabled: true, r: 4, alpha: 8, dropout: 0.0}
            dpo: {beta: 0.1, precompute_ref_log_probs: true, ref_model: "{{refModel}}"}
            """);
    }

    /// <summary>The cached values in key order (the file before fingerprints was the bare key → values object).</summary>
    static double[] Cached(TempDir dir, string output)
    {
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.File(output), "ref_logps.json")))!.AsObject();
        var values = file["log_probs"]?.AsObject() ?? file;
        return values.OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => kv.Value!.AsArray().Select(v => v!.GetValue<double>())).ToArray();
    }

    static List<string> Run(Recipe recipe, string? resume = null)
    {
        var messages = new Messages();
        StageRunner.Run(recipe, messages, resume);
        return messages.Lines;
    }

    [Theory]
    [InlineData(true)]   // ref_model: a separate folder
    [InlineData(false)]  // the policy's base with LoRA off
    public void A_cache_made_with_another_reference_is_recomputed(bool separate)
    {
        using var dir = new TempDir();
        var basePath = CopyModel(dir, "base");
        var reference = separate ? CopyModel(dir, "ref") : basePath;
        var recipe = Recipe(dir, basePath, separate ? reference : "", "run");
        Run(recipe);
        var before = Cached(dir, "run");

        ChangeWeights(reference);
        var rerun = Run(recipe, resume: "latest");
        var fresh = Recipe(dir, basePath, separate ? reference : "", "fresh");
        Run(fresh);
        // The rerun's cache is what a run that never saw the old reference computes, and it did change.
        AllClose.Equal(Cached(dir, "fresh"), Cached(dir, "run"), rtol: 1e-6, atol: 1e-6, "reference log-probs after the reference changed");
        Assert.False(AllClose.Within(before[0], Cached(dir, "run")[0], rtol: 1e-3, atol: 1e-3), "the changed reference should move the log-probs");
        Assert.Contains(rerun, m => m.Contains("was computed with another reference"));
    }

    [Fact]
    public void A_complete_cache_is_used_without_loading_the_reference_model()
    {
        using var dir = new TempDir();
        var recipe = Recipe(dir, CopyModel(dir, "base"), CopyModel(dir, "ref"), "run");
        var first = Run(recipe);
        Assert.Contains(first, m => m.StartsWith("reference model: ") && m.Contains("separate frozen copy"));
        var before = Cached(dir, "run");
        var again = Run(recipe, resume: "latest");
        Assert.DoesNotContain(again, m => m.StartsWith("reference model: "));
        Assert.Contains(again, m => m.Contains("read from") && m.Contains("reference model not loaded"));
        Assert.Equal(before, Cached(dir, "run"));
    }
}
