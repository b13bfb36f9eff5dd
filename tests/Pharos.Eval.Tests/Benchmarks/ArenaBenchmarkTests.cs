// The arena suite against a scripted judge on loopback (so every verdict, failure and the win-rate arithmetic are
// known exactly) and against Pharos's own server running a tiny deterministic model as the judge.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pharos.Eval.Backends;
using Pharos.Eval.Benchmarks;
using Pharos.Eval.Judging;
using Pharos.Serve;
using Pharos.Tests;

namespace Pharos.Eval.Tests.Benchmarks;

public class ArenaBenchmarkTests
{
    static string WriteData(TempDir dir, params (string Id, string Lang)[] items)
    {
        var path = Path.Combine(dir.Path, "arena.jsonl");
        File.WriteAllLines(path, items.Select(i => new JsonObject
        {
            ["id"] = i.Id, ["lang"] = i.Lang, ["prompt"] = $"Question {i.Id}?", ["baseline"] = $"BASELINE {i.Id}",
        }.ToJsonString()));
        return path;
    }

    /// <summary>The scripted judge: the item and the position of the model's answer are read from the judge prompt.</summary>
    static string? Verdict(string judgePrompt)
    {
        var a = Regex.Match(judgePrompt, @"\[Answer A\]\n(.*)\n\[End of answer A\]").Groups[1].Value;
        bool modelIsA = a.StartsWith("MODEL", StringComparison.Ordinal);
        var id = Regex.Match(judgePrompt, @"Question (\w+)\?").Groups[1].Value;
        return id switch
        {
            "q1" => modelIsA ? "A is clearly better.\n[[A>>B]]" : "Answer B wins. [[B>A]]",     // the model wins both
            "q2" => "The format is [[A>B]] or [[B>A]]. I pick the first one.\n[[A>B]]",             // order bias: A always
            "q3" => "Both fine. [[A=B]]",                                                           // tie both
            "q4" => modelIsA ? null : "I cannot decide.",                                           // failure, then no label
            _ => "[[B>>A]]",
        };
    }

    [Fact]
    public async Task Win_rate_counts_every_game_with_positions_swapped_and_judge_failures_counted()
    {
        using var dir = new TempDir();
        var data = WriteData(dir, ("q1", "de"), ("q2", "de"), ("q3", "fr"), ("q4", "ja"), ("q5", "ja"));
        await using var judgeServer = await ScriptedEndpoint.StartAsync(Verdict);
        using var judge = new Judge(judgeServer.Backend());
        var arena = (ArenaBenchmark)Suites.Load("arena", data, judge: judge);
        // The model answered all but q5 (its endpoint failed): q5 loses both games without a judgement.
        var answers = arena.Prompts.Select(p => p[0].Content.Contains("q5") ? ChatAnswer.Failed("HTTP 500") : ChatAnswer.Ok("MODEL " + p[0].Content)).ToList();
        var (records, result) = arena.Score(answers);

        // Games: q1 1+1, q2 1+0, q3 ½+½, q5 0+0 (q4 none) → 4 of 8.
        Assert.Equal(0.5, result.Metrics["win_rate"], 12);
        Assert.Equal(8, result.Metrics["games"]);
        Assert.Equal(3, result.Metrics["wins"]);
        Assert.Equal(2, result.Metrics["ties"]);
        Assert.Equal(3, result.Metrics["losses"]);
        Assert.Equal(1, result.Metrics["judge_errors"]);
        Assert.Equal(1, result.Metrics["judge_unparsed"]);
        Assert.Equal(1, result.Metrics["judge_retries"]); // the failing judgement was tried twice
        Assert.Equal(2.0 / 3, result.Metrics["position_consistency"], 12); // q1 and q3 agree across positions, q2 not
        Assert.Equal(1, result.Errors);
        double low = result.Metrics["win_rate_ci_low"], high = result.Metrics["win_rate_ci_high"];
        Assert.True(low < 0.5 && 0.5 < high && low >= 0 && high <= 1, $"CI [{low}, {high}]");

        var de = result.Breakdowns["by_language"]["de"];
        Assert.Equal(0.75, de["win_rate"], 12);
        Assert.Equal(2, de["n"]);
        Assert.Equal(0.5, result.Breakdowns["by_language"]["fr"]["win_rate"], 12);
        Assert.Equal(0.0, result.Breakdowns["by_language"]["ja"]["win_rate"], 12);
        // One item's two identical games: the bootstrap cannot move it.
        Assert.Equal(0.5, result.Breakdowns["by_language"]["fr"]["ci_low"], 12);
        Assert.Equal(0.5, result.Breakdowns["by_language"]["fr"]["ci_high"], 12);

        var q2 = records.Single(r => r.Id == "q2");
        Assert.Equal(0.5, q2.Scores["win"]);
        Assert.Equal(["judge:model=A", "judge:model=B"], q2.Verdicts.Select(v => v.Id));
        Assert.Contains("judge failed", records.Single(r => r.Id == "q4").Verdicts[0].Explanation);
        Assert.Contains("no verdict label", records.Single(r => r.Id == "q4").Verdicts[1].Explanation);
        Assert.Equal("BASELINE q1", records[0].Reference);
    }

    [Fact]
    public void Baselines_can_come_from_an_earlier_runs_arena_outputs()
    {
        using var dir = new TempDir();
        var data = WriteData(dir, ("q1", "de"), ("q2", "fr"));
        var earlier = Path.Combine(dir.Path, "earlier-arena.jsonl");
        File.WriteAllLines(earlier, [
            new JsonObject { ["suite"] = "arena", ["id"] = "q1", ["output"] = "EARLIER q1" }.ToJsonString(),
            new JsonObject { ["suite"] = "arena", ["id"] = "q2", ["output"] = "EARLIER q2" }.ToJsonString(),
        ]);
        using var judge = new Judge(new OpenAiEndpointBackend("http://127.0.0.1:9", "none", attempts: 1));
        var arena = (ArenaBenchmark)Suites.Load("arena", data, judge: judge, arenaBaseline: earlier);
        // The judge is unreachable: both games of each item are counted judge errors, and the records name the baselines.
        var (records, result) = arena.Score([ChatAnswer.Ok("MODEL 1"), ChatAnswer.Ok("MODEL 2")]);
        Assert.Equal(["EARLIER q1", "EARLIER q2"], records.Select(r => r.Reference));
        Assert.Equal(4, result.Metrics["judge_errors"]);

        File.WriteAllLines(earlier, [new JsonObject { ["id"] = "q1", ["output"] = "only q1" }.ToJsonString()]);
        var missing = Assert.Throws<Pharos.Eval.Errors.InvalidInputException>(() => Suites.Load("arena", data, judge: judge, arenaBaseline: earlier));
        Assert.Contains("item q2", missing.Message);
    }

    [Fact]
    public void Verdict_labels_are_read_from_the_end_and_in_either_direction()
    {
        Assert.Equal(PairwiseVerdict.BBetter, PairwiseVerdicts.Parse("Options: [[A>B]] … my verdict: [[B>A]]"));
        Assert.Equal(PairwiseVerdict.AMuchBetter, PairwiseVerdicts.Parse("[[ B<<A ]]"));
        Assert.Equal(PairwiseVerdict.Tie, PairwiseVerdicts.Parse("[[B=A]]"));
        Assert.Null(PairwiseVerdicts.Parse("A is better"));
        Assert.Equal(0.0, PairwiseVerdicts.ScoreFor(PairwiseVerdict.AMuchBetter, shownAsA: false));
        Assert.Equal(true, JudgePrompts.ParseAdherence("maybe [[NO]] … on reflection [[YES]]"));
        Assert.Null(JudgePrompts.ParseAdherence("yes"));
    }

    [Fact]
    public void Bundled_arena_prompts_load_in_many_languages_with_baselines()
    {
        using var judge = new Judge(new OpenAiEndpointBackend("http://127.0.0.1:9", "none"));
        var arena = (ArenaBenchmark)Suites.Load("arena", RepoPaths.Samples("eval", "arena.jsonl"), judge: judge);
        Assert.True(arena.Prompts.Count >= 20);
        var langs = File.ReadLines(RepoPaths.Samples("eval", "arena.jsonl")).Select(l => (string)JsonNode.Parse(l)!["lang"]!).Distinct().ToList();
        Assert.True(langs.Count >= 10, string.Join(",", langs));
        var noJudge = Assert.Throws<Pharos.Eval.Errors.InvalidInputException>(() => Suites.Load("arena", RepoPaths.Samples("eval", "arena.jsonl")));
        Assert.Contains("--judge-endpoint", noJudge.Message);
    }

    [Fact]
    public async Task Pharos_server_as_judge_runs_the_suite_and_counts_judgements_without_a_verdict()
    {
        using var temp = new TempDir();
        var folder = ChatModelFolder.Create(temp);
        var data = WriteData(temp, ("a", "en"), ("b", "de"));

        async Task<(IReadOnlyList<ItemRecord> Records, SuiteResult Result)> Judged()
        {
            using var served = new ServedModel(folder, "judge");
            await using var server = await OpenAiServer.StartAsync(served, "127.0.0.1", 0, quiet: true);
            using var judge = new Judge(new OpenAiEndpointBackend(server.Address, "judge", firstBackoff: TimeSpan.FromMilliseconds(1)), new EvalGenerationSettings(MaxTokens: 6));
            var arena = (ArenaBenchmark)Suites.Load("arena", data, judge: judge);
            return arena.Score(arena.Prompts.Select(p => ChatAnswer.Ok("Once upon a time")).ToList());
        }

        // stories260K's 512-token context cannot hold the judge prompt: the server refuses (HTTP 400, not retried),
        // every judgement is a counted judge error and the suite still finishes.
        var (refused, refusedResult) = await Judged();
        Assert.Equal(4, refusedResult.Metrics["judge_errors"]);
        Assert.Equal(0, refusedResult.Metrics["judge_retries"]);
        Assert.Contains("HTTP 400", refused[0].Verdicts[0].Explanation);

        // With a longer context (RoPE extrapolates) the tiny model judges, greedily and so deterministically, but never
        // writes a verdict label: four unparsed judgements, no games, and the same texts on a second run.
        var configPath = Path.Combine(folder, "config.json");
        var config = (JsonObject)JsonNode.Parse(File.ReadAllText(configPath))!;
        config["max_position_embeddings"] = 1024;
        File.WriteAllText(configPath, config.ToJsonString());
        var (records, result) = await Judged();
        Assert.Equal(4, result.Metrics["judge_unparsed"]);
        Assert.Equal(0, result.Metrics["judge_errors"]);
        Assert.Equal(0, result.Metrics["games"]);
        Assert.True(double.IsNaN(result.Metrics["win_rate"]));
        Assert.All(records.SelectMany(r => r.Verdicts), v => Assert.StartsWith("no verdict label in: ", v.Explanation));
        var (again, _) = await Judged();
        Assert.Equal(records.SelectMany(r => r.Verdicts).Select(v => v.Explanation), again.SelectMany(r => r.Verdicts).Select(v => v.Explanation));
    }

    [Fact]
    public async Task Ifmt_adherence_judge_adds_a_rate_beside_the_verifiers()
    {
        await using var judgeServer = await ScriptedEndpoint.StartAsync(p => p.Contains("GOOD") ? "Fine. [[YES]]" : p.Contains("BAD") ? "[[NO]]" : null);
        using var judge = new Judge(judgeServer.Backend());
        var ifmt = (IfMtBenchmark)Suites.Load("ifmt", RepoPaths.Samples("eval", "ifmt.jsonl"), limit: 4);
        var answers = new[] { ChatAnswer.Ok("GOOD"), ChatAnswer.Ok("BAD"), ChatAnswer.Ok("unclear"), ChatAnswer.Failed("down") };
        var (records, result) = ifmt.Score(answers);
        (records, result) = JudgedAdherence.Add(records, result, judge);
        // GOOD 1, BAD 0, no answer 0 (the judge failure on "unclear" is left out): 1 of 3.
        Assert.Equal(1.0 / 3, result.Metrics[JudgedAdherence.Key], 12);
        Assert.Equal(1, result.Metrics["judge_errors"]);
        Assert.Equal(1, records[0].Scores[JudgedAdherence.Key]);
        Assert.False(records[2].Scores.ContainsKey(JudgedAdherence.Key));
        Assert.True(result.Metrics.ContainsKey("inst_level_acc"));
    }
}
