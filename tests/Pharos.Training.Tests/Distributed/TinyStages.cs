// Recipes and data for one short run of each stage on the bundled stories260K (CPT full fine-tuning; SFT, WPO and GRPO
// with LoRA), with a global batch of 6 micro-batches of 1 row, so 1, 2 and 3 ranks (6, 3 and 2 micro-batches each)
// train on exactly the same batches; plus what the runs wrote (per-step losses, final weights).
using System.Text.Json.Nodes;
using Pharos.Models.Safetensors;
using Pharos.Tests;
using static TorchSharp.torch;

namespace Pharos.Training.Tests.Distributed;

internal static class TinyStages
{
    public const int Steps = 20;

    static readonly string[] Words = ["once", "upon", "a", "time", "there", "was", "little", "girl", "named", "lily", "she", "liked", "to", "play", "in", "the", "park", "with", "her", "dog"];

    static string Sentence(Random rng, int min, int max) => string.Join(' ', Enumerable.Range(0, rng.Next(min, max)).Select(_ => Words[rng.Next(Words.Length)]));

    /// <summary>Writes the stage's data (and, for chat stages, a model copy with a chat template) and returns its recipe file.</summary>
    /// <param name="extraTrain">more keys of the train block (", shard_optimizer: true")</param>
    /// <param name="extraYaml">more top-level YAML (another adapter, its section)</param>
    public static string Write(TempDir dir, string stage, string extraTrain = "", string extraYaml = "")
    {
        var rng = new Random(11);
        var model = RepoPaths.Samples("models", "stories260K");
        var data = dir.File($"{stage}.jsonl");
        string block = "", adapter = "lora: {enabled: true, r: 4, alpha: 8, dropout: 0.05}";
        switch (stage)
        {
            case "cpt":
                File.WriteAllLines(data, Enumerable.Range(0, 80).Select(_ => new JsonObject { ["text"] = Sentence(rng, 6, 24) }.ToJsonString()));
                adapter = "";
                break;
            case "sft":
                model = ChatModelFolder.Create(dir);
                File.WriteAllLines(data, Enumerable.Range(0, 40).Select(_ => new JsonObject
                {
                    ["messages"] = new JsonArray(
                        new JsonObject { ["role"] = "user", ["content"] = Sentence(rng, 2, 6) },
                        new JsonObject { ["role"] = "assistant", ["content"] = Sentence(rng, 3, 10) }),
                }.ToJsonString()));
                break;
            case "dpo":
                File.WriteAllLines(data, Enumerable.Range(0, 30).Select(_ => new JsonObject
                {
                    ["prompt"] = Sentence(rng, 2, 5), ["chosen"] = " " + Sentence(rng, 3, 8), ["rejected"] = " " + Sentence(rng, 3, 8),
                }.ToJsonString()));
                block = "dpo: {beta: 0.1, use_weighting: true, precompute_ref_log_probs: true}";
                break;
            case "grpo":
                File.WriteAllLines(data, Enumerable.Range(0, 12).Select(i => new JsonObject
                {
                    ["prompt"] = "Once upon a time " + Sentence(rng, 1, 4), ["answer"] = "Lily", ["reference"] = "there was a little girl named Lily",
                }.ToJsonString()));
                block = "grpo: {num_generations: 4, max_completion_length: 8, beta: 0.04, scale_rewards: batch, loss_type: dapo, rewards: [{name: contains, weight: 1.0}, {name: chrf, weight: 0.5}]}";
                break;
        }
        var recipe = dir.File($"{stage}.yaml");
        File.WriteAllText(recipe, $$"""
            stage: {{stage}}
            seed: 7
            model: {path: {{model}}}
            data:
              sequence_length: 64
              eval_fraction: {{(stage == "grpo" ? "0.0" : "0.1")}}
              sources: [{name: main, paths: [{{data}}]}]
            train: {max_steps: {{Steps}}, micro_batch_size: 1, global_batch_size: 6, lr: 5e-3, warmup_steps: 2, weight_decay: 0.1, save_every: 10, keep_last: 3, precision: fp32{{extraTrain}}}
            {{adapter}}
            {{block}}
            {{extraYaml}}
            """);
        return recipe;
    }

    /// <summary>The file holding what a run trained: the full model or the PEFT adapter.</summary>
    public static string Weights(string run) => File.Exists(Path.Combine(run, "adapter", "adapter_model.safetensors"))
        ? Path.Combine(run, "adapter", "adapter_model.safetensors") : Path.Combine(run, "model", "model.safetensors");

    /// <summary>metrics.jsonl's values of one key by step (the last line of a step wins, as after a resume).</summary>
    public static SortedDictionary<int, double> Metric(string run, string key = "train/loss")
    {
        var values = new SortedDictionary<int, double>();
        foreach (var line in File.ReadLines(Path.Combine(run, "metrics.jsonl")))
        {
            var o = JsonNode.Parse(line)!.AsObject();
            if (o[key] is JsonNode v) values[(int)o["step"]!] = (double)v;
        }
        return values;
    }

    /// <summary>Same steps, each value within <paramref name="rtol"/> relative of the expected one.</summary>
    public static void AssertSameValues(SortedDictionary<int, double> expected, SortedDictionary<int, double> actual, double rtol, string what)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        AllClose.Equal(expected.Values.ToArray(), actual.Values.ToArray(), rtol, 0, $"{what} (steps {expected.Keys.First()}…{expected.Keys.Last()})");
    }

    /// <summary>Every tensor of two safetensors files: |a − b| ≤ atol + rtol·|b| with both tolerances <paramref name="tolerance"/>.</summary>
    public static void AssertCloseWeights(string expected, string actual, double tolerance)
    {
        using var a = SafetensorsFile.Open(expected);
        using var b = SafetensorsFile.Open(actual);
        var names = a.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names, b.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var name in names)
        {
            using var x = a.Load(name, float32, CPU);
            using var y = b.Load(name, float32, CPU);
            AllClose.Equal(x, y, tolerance, tolerance, name);
        }
    }
}
