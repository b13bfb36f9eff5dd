// Rewards by name: each sees the record's columns, may abstain, and a failing or NaN reward on one sample is counted
// and logged without stopping the run; an unknown name is a start-up error listing the known ones.
using System.Text.Json.Nodes;
using Pharos.Models.Errors;
using Pharos.Training.Rewards;

namespace Pharos.Training.Tests.Grpo;

public class RewardTests
{
    sealed class Flaky : IRewardFunction
    {
        public string Name => "flaky";
        public double? Score(RewardInput input) => input.Completion switch
        {
            "boom" => throw new InvalidOperationException("bad sample"),
            "nan" => double.NaN,
            _ => 1,
        };
    }

    static RewardInput In(string completion, JsonObject? record = null) => new("p", completion, record ?? new JsonObject());

    [Fact]
    public void Weighted_sum_with_abstention_and_failures_counted()
    {
        var log = new List<string>();
        var set = new RewardSet([new(new Flaky(), 2.0), new(new ContainsReward("term"), 0.5)], log.Add);
        var scores = set.Score([In("ok", new JsonObject { ["term"] = "ok" }), In("boom"), In("nan", new JsonObject { ["term"] = "x" })]);
        Assert.Equal(new[] { 2.5, 0, 0 }, scores.Total);
        Assert.Equal(2, scores.Failures);
        Assert.Equal(2, log.Count);
        Assert.True(double.IsNaN(scores.PerFunction["contains"][1])); // no 'term' column: abstained
    }

    [Fact]
    public void Named_rewards_read_columns()
    {
        var record = new JsonObject { ["reference"] = "Das Haus ist groß.", ["target_lang"] = "ru", ["answer"] = "42" };
        Assert.Equal(1.0, RewardRegistry.Create(new RewardSpec("chrf")).Score(In("Das Haus ist groß.", record)));
        Assert.True(RewardRegistry.Create(new RewardSpec("chrf")).Score(In("Die Katze", record)) < 0.5);
        Assert.Equal(1.0, RewardRegistry.Create(new RewardSpec("bleu")).Score(In("Das Haus ist groß.", record))!.Value, 6);
        Assert.Equal(1.0, RewardRegistry.Create(new RewardSpec("target_script")).Score(In("Дом большой", record)));
        Assert.Equal(0.0, RewardRegistry.Create(new RewardSpec("target_script")).Score(In("big house", record)));
        Assert.Equal(1.0, RewardRegistry.Create(new RewardSpec("ends_with")).Score(In("so the answer is 42", record)));
        Assert.Equal(0.0, RewardRegistry.Create(new RewardSpec("length_penalty")).Score(In("Das Haus ist gross", record)));
        Assert.True(RewardRegistry.Create(new RewardSpec("length_penalty")).Score(In(new string('x', 60), record)) < -0.9);
    }

    [Fact]
    public void Unknown_reward_name_is_a_start_up_error()
    {
        var e = Assert.Throws<PharosException>(() => RewardRegistry.Build([new RewardSpec("chrf"), new RewardSpec("xcomet")]));
        Assert.Contains("xcomet", e.Message);
        Assert.Contains("chrf", e.Message);
    }
}
