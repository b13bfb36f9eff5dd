// The comet / cometkiwi rewards on the COMET fixtures: a GRPO group is scored in one batch and gets the scores
// COMET's own code gives; records without the needed columns abstain; a failing batch is counted, not fatal.
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Models.Errors;
using Pharos.Tests;
using Pharos.Training.Rewards;

namespace Pharos.Training.Tests.Grpo;

public class CometRewardTests
{
    static string Comet(params string[] parts) => RepoPaths.Fixtures("Pharos.Eval.Tests", ["comet", .. parts]);

    static (List<JsonObject> Rows, double[] Regression, double[] Kiwi) Fixture()
    {
        var rows = File.ReadLines(Comet("segments.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var expected = JsonNode.Parse(File.ReadAllText(Comet("expected-scores.json")))!;
        double[] Scores(string m) => expected[m]!["scores"]!.AsArray().Select(x => x!.GetValue<double>()).ToArray();
        return (rows, Scores("regression"), Scores("kiwi"));
    }

    static RewardInput Input(JsonObject row, bool withReference) => new("prompt", row["mt"]!.GetValue<string>(), withReference
        ? new JsonObject { ["source"] = row["src"]!.GetValue<string>(), ["reference"] = row["ref"]!.GetValue<string>() }
        : new JsonObject { ["src_text"] = row["src"]!.GetValue<string>() });

    [Fact]
    public void Comet_reward_scores_a_batch_like_comet_and_abstains_without_a_reference()
    {
        var (rows, expected, _) = Fixture();
        var reward = RewardRegistry.Create(new RewardSpec("comet", Model: Comet("models", "regression"), Encoder: Comet("encoder")));
        Assert.IsAssignableFrom<IBatchRewardFunction>(reward);
        // Segments without surrounding spaces: the reward trims the completion.
        var usable = Enumerable.Range(0, rows.Count).Where(i => rows[i]["mt"]!.GetValue<string>() == rows[i]["mt"]!.GetValue<string>().Trim()).ToList();
        var inputs = usable.Select(i => Input(rows[i], true)).Append(new RewardInput("p", "Hallo", new JsonObject { ["source"] = "Hello" })).ToList();
        var set = new RewardSet([new(reward, 2.0)]);
        var scores = set.Score(inputs);
        for (int k = 0; k < usable.Count; k++)
            AllClose.Equal(expected[usable[k]], scores.PerFunction["comet"][k], rtol: 1e-5, atol: 1e-5, $"segment {usable[k]}");
        Assert.Equal(2 * scores.PerFunction["comet"][0], scores.Total[0], 12);
        Assert.True(double.IsNaN(scores.PerFunction["comet"][^1])); // no reference column: abstained
        Assert.Equal(0, scores.Failures);
    }

    [Fact]
    public void Group_of_completions_sharing_a_source_is_scored_like_single_ones()
    {
        var (rows, _, kiwiExpected) = Fixture();
        var reward = (IBatchRewardFunction)RewardRegistry.Create(new RewardSpec("cometkiwi", Column: "src_text", Model: Comet("models", "kiwi"), Encoder: Comet("encoder")));
        var source = rows[0]["src"]!.GetValue<string>();
        var completions = new[] { rows[0]["mt"]!.GetValue<string>(), "Alle Menschen sind frei.", "", "Всі люди народжуються вільними." };
        var group = completions.Select(c => new RewardInput("p", c, new JsonObject { ["src_text"] = source })).ToList();
        var batch = reward.ScoreBatch(group);
        for (int i = 0; i < group.Count; i++)
            Assert.Equal(reward.Score(group[i])!.Value, batch[i]!.Value, 5);
        AllClose.Equal(kiwiExpected[0], batch[0]!.Value, rtol: 1e-5, atol: 1e-5, "kiwi segment 0");
        Assert.True(batch.Select(b => b!.Value).Distinct().Count() == 4, "different completions score differently");
    }

    [Fact]
    public void Misconfigured_rewards_fail_clearly_or_are_counted()
    {
        var none = Assert.Throws<PharosException>(() => RewardRegistry.Create(new RewardSpec("comet")));
        Assert.Contains("COMET model folder", none.Message);
        // A reference-based model as cometkiwi fails when first used: every completion of that batch is counted.
        var log = new List<string>();
        var set = new RewardSet([new(RewardRegistry.Create(new RewardSpec("cometkiwi", Model: Comet("models", "regression"), Encoder: Comet("encoder"))), 1.0)], log.Add);
        var scores = set.Score([new RewardInput("p", "x", new JsonObject { ["source"] = "y" }), new RewardInput("p", "z", new JsonObject { ["source"] = "y" })]);
        Assert.Equal(2, scores.Failures);
        Assert.Contains(log, l => l.Contains("reference-based COMET model"));
        Assert.Contains("comet", RewardRegistry.Names);
    }
}
