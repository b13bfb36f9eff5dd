// The resume guarantee with a real process: `pharos train` killed with SIGKILL after its step-10 checkpoint and resumed
// gives the same per-step losses and bit-identical float32 weights as an uninterrupted 20-step run.
using System.Globalization;
using System.Text.Json.Nodes;
using Pharos.Tests;
using Pharos.Training.Tokenizer;

namespace Pharos.Training.Tests.Training;

public class KillResumeTests
{
    internal static string Setup(TempDir dir)
    {
        var rng = new Random(3);
        string[] words = ["the", "right", "to", "life", "liberty", "and", "security", "of", "person", "everyone", "has", "free", "equal", "dignity"];
        var lines = Enumerable.Range(0, 120).Select(_ => new JsonObject { ["text"] = string.Join(' ', Enumerable.Range(0, rng.Next(8, 30)).Select(_ => words[rng.Next(words.Length)])) }.ToJsonString());
        File.WriteAllLines(dir.File("corpus.jsonl"), lines);
        TokenizerFiles.Write(new BpeTrainer(300, TokenizerFiles.DefaultSpecials).Train(File.ReadLines(dir.File("corpus.jsonl"))), dir.File("tok"));
        var recipe = dir.File("recipe.yaml");
        File.WriteAllText(recipe, $"""
            stage: cpt
            seed: 5
            model:
              tokenizer: {dir.File("tok")}
              new: {"{"}family: llama, hidden_size: 32, num_layers: 2, head_dim: 16{"}"}
            data:
              sequence_length: 32
              sources: [{"{"}name: toy, paths: [{dir.File("corpus.jsonl")}]{"}"}]
            train: {"{"}max_steps: 20, micro_batch_size: 2, gradient_accumulation: 2, lr: 3e-3, warmup_steps: 3, weight_decay: 0.1, save_every: 10, keep_last: 3{"}"}
            """);
        return recipe;
    }

    internal static Dictionary<int, string> Losses(string run) =>
        File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject())
            .Where(o => o.ContainsKey("train/loss"))
            .GroupBy(o => (int)o["step"]!).ToDictionary(g => g.Key, g => g.Last()["train/loss"]!.ToJsonString());

    [Fact]
    public void Sigkill_after_checkpoint_then_resume_equals_uninterrupted_run()
    {
        using var dir = new TempDir();
        var recipe = Setup(dir);
        var straight = dir.File("straight");
        var (code, _, err) = PharosProcess.Run("train", "--recipe", recipe, "--set", $"output={straight}");
        Assert.True(code == 0, err);

        var killed = dir.File("killed");
        using (var p = PharosProcess.Start("train", "--recipe", recipe, "--set", $"output={killed}"))
            PharosProcess.KillWhenWritten(p, Path.Combine(killed, "checkpoints", "checkpoint-10", "trainer_state.json"));
        Assert.False(File.Exists(Path.Combine(killed, "model", "model.safetensors")), "the killed run must not have finished");

        (code, var output, err) = PharosProcess.Run("train", "--recipe", recipe, "--set", $"output={killed}", "--resume");
        Assert.True(code == 0, err);
        Assert.Contains("resumed from", output);

        var expected = Losses(straight);
        var actual = Losses(killed);
        Assert.Equal(20, expected.Count);
        foreach (var (step, loss) in expected)
            Assert.True(actual.TryGetValue(step, out var got) && got == loss, $"step {step}: {loss} vs {actual.GetValueOrDefault(step)}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "model", "model.safetensors")), File.ReadAllBytes(Path.Combine(killed, "model", "model.safetensors")));
    }

    [Fact]
    public void Bad_recipe_value_fails_with_one_line_naming_the_key()
    {
        using var dir = new TempDir();
        var recipe = Setup(dir);
        var (code, _, err) = PharosProcess.Run("train", "--recipe", recipe, "--set", "train.lr=fast");
        Assert.Equal(1, code);
        Assert.Contains("recipe: train.lr: 'fast' is not a number", err);
        Assert.DoesNotContain("   at ", err);
    }
}
