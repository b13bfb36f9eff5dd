// `pharos prefs build`'s two sources of pairs: on-policy samples from stories260K scored by chrF against a reference
// (chosen scores above rejected, columns carried over), and given post-edit vs MT records (identical ones skipped).
using System.Text.Json.Nodes;
using Pharos.Models.Loading;
using Pharos.Tests;
using Pharos.Training.Preferences;
using Pharos.Training.Rewards;
using Pharos.Training.Tokenizer;

namespace Pharos.Training.Tests.Dpo;

public class PairBuilderTests
{
    [Fact]
    public void Sampled_pairs_put_the_higher_score_first()
    {
        using var dir = new TempDir();
        var folder = Path.Combine(RepoPaths.Root, "samples", "models", "stories260K");
        File.WriteAllLines(dir.File("prompts.jsonl"), Enumerable.Range(0, 3).Select(i =>
            new JsonObject { ["prompt"] = $"Once upon a time{new string(' ', i)}", ["reference"] = "there was a little girl named Lily. She loved to play outside.", ["id"] = i }.ToJsonString()));
        using var model = ModelLoader.Load(folder);
        var tokenizer = TokenizerLoader.Load(folder);
        var stats = PairBuilder.Sample(model, tokenizer, [tokenizer.EosId], dir.File("prompts.jsonl"), dir.File("pairs.jsonl"),
            RewardRegistry.Build([new RewardSpec("chrf")]), numSamples: 4, maxNewTokens: 24, seed: 1);
        Assert.Equal(3, stats.Prompts);
        Assert.True(stats.Pairs >= 2, $"{stats}");
        foreach (var line in File.ReadLines(dir.File("pairs.jsonl")))
        {
            var pair = JsonNode.Parse(line)!;
            Assert.True((double)pair["score_chosen"]! > (double)pair["score_rejected"]!);
            Assert.NotEqual((string?)pair["chosen"], (string?)pair["rejected"]);
            Assert.NotNull(pair["id"]);
        }
    }

    [Fact]
    public void Post_edits_become_chosen_over_mt()
    {
        using var dir = new TempDir();
        File.WriteAllLines(dir.File("pe.jsonl"), [
            """{"source":"Hello","mt":"Hallo Welt","post_edit":"Hallo","target_lang":"de"}""",
            """{"source":"Yes","mt":"Ja","post_edit":"Ja"}""",
            """{"source":"No"}""",
        ]);
        var stats = PairBuilder.FromPostEdits(dir.File("pe.jsonl"), dir.File("pairs.jsonl"));
        Assert.Equal(new PairStats(3, 1, 1, 1), stats);
        var pair = JsonNode.Parse(File.ReadLines(dir.File("pairs.jsonl")).Single())!;
        Assert.Equal("Hallo", (string?)pair["chosen"]);
        Assert.Equal("Hallo Welt", (string?)pair["rejected"]);
        Assert.Equal("de", (string?)pair["target_lang"]);
    }
}
