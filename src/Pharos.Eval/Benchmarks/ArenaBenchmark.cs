// Arena-style general-ability suite (as Tower+ reports M-ArenaHard): the model's answer to each prompt is judged
// against a baseline answer by a judge model, twice with the positions swapped to cancel order bias; reports the win
// rate with a bootstrap confidence interval, per language, and how often the judge agreed with itself across positions.
using System.Text.Json.Nodes;
using Pharos.Eval.Backends;
using Pharos.Eval.Errors;
using Pharos.Eval.Judging;
using Pharos.Models.Tokenization;

namespace Pharos.Eval.Benchmarks;

/// <summary>
/// JSONL items: <c>id</c>, <c>lang</c> (the prompt's language), <c>prompt</c>, <c>baseline</c> (the baseline model's
/// answer). A previous run's <c>arena.jsonl</c> can supply the baselines instead (its outputs by id).
/// </summary>
public sealed class ArenaBenchmark : IBenchmark
{
    sealed record Item(string Id, string Language, string Prompt, string Baseline);

    readonly List<Item> items = [];
    readonly Judge? judge;
    readonly int resamples;
    readonly ulong seed;

    public ArenaBenchmark(string path, Judge? judge, int? limit = null, string? baselineRun = null, int resamples = 1000, ulong seed = 0)
    {
        this.judge = judge;
        this.resamples = resamples;
        this.seed = seed;
        var baselines = baselineRun is null ? null : ReadBaselineRun(baselineRun);
        foreach (var line in JsonlFile.Read(path).Take(limit ?? int.MaxValue))
        {
            var id = line.Id("id");
            var prompt = line.String("prompt");
            if (prompt.Trim().Length == 0) throw line.Error($"item {id}: empty prompt");
            string baseline;
            if (baselines is not null)
                baseline = baselines.TryGetValue(id, out var b) ? b : throw line.Error($"item {id}: {baselineRun} has no output for this id");
            else
                baseline = line.OptionalString("baseline") ?? throw line.Error($"item {id}: no 'baseline' answer (or give a baseline run's arena.jsonl)");
            items.Add(new Item(id, line.OptionalString("lang") ?? "und", prompt, baseline));
        }
        if (items.Count == 0) throw new InvalidInputException($"{path}: no items");
        Prompts = items.Select(i => (IReadOnlyList<ChatMessage>)[new ChatMessage("user", i.Prompt)]).ToList();
    }

    public string Name => "arena";
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Prompts { get; }

    /// <summary>Outputs of an earlier run's arena.jsonl by item id (its failed items have none).</summary>
    static Dictionary<string, string> ReadBaselineRun(string path)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in JsonlFile.Read(path))
            if (line.OptionalString("output") is { } output)
                outputs[line.Id("id")] = output;
        return outputs;
    }

    public (IReadOnlyList<ItemRecord> Records, SuiteResult Result) Score(IReadOnlyList<ChatAnswer> answers)
    {
        if (judge is null) throw new InvalidInputException("the arena suite needs a judge: --judge-endpoint URL --judge-model NAME");
        int retriesBefore = judge.Retries;
        // Game 0: the model's answer is A; game 1: it is B.
        var asked = new List<(int Item, bool ModelIsA)>();
        var conversations = new List<IReadOnlyList<ChatMessage>>();
        for (int i = 0; i < items.Count; i++)
        {
            if (answers[i].Text is not { } answer) continue;
            asked.Add((i, true));
            conversations.Add(JudgePrompts.Pairwise(items[i].Prompt, answer.Trim(), items[i].Baseline));
            asked.Add((i, false));
            conversations.Add(JudgePrompts.Pairwise(items[i].Prompt, items[i].Baseline, answer.Trim()));
        }
        var judged = judge.Ask(conversations);

        var games = items.Select(_ => new List<double>()).ToList();
        var verdicts = items.Select(_ => new List<InstructionVerdict>()).ToList();
        int judgeErrors = 0, unparsed = 0, bothValid = 0, consistent = 0;
        var firstScore = new double?[items.Count];
        for (int k = 0; k < asked.Count; k++)
        {
            var (i, modelIsA) = asked[k];
            string position = modelIsA ? "model=A" : "model=B";
            if (judged[k].Text is null)
            {
                judgeErrors++;
                verdicts[i].Add(new InstructionVerdict($"judge:{position}", false, false, 0, "judge failed: " + judged[k].Error));
                continue;
            }
            if (PairwiseVerdicts.Parse(judged[k].Text) is not { } verdict)
            {
                unparsed++;
                verdicts[i].Add(new InstructionVerdict($"judge:{position}", false, false, 0, "no verdict label in: " + Shorten(judged[k].Text!)));
                continue;
            }
            double score = PairwiseVerdicts.ScoreFor(verdict, modelIsA);
            games[i].Add(score);
            verdicts[i].Add(new InstructionVerdict($"judge:{position}", score == 1, score >= 0.5, score, verdict.ToString()));
            if (modelIsA) firstScore[i] = score;
            else if (firstScore[i] is { } first)
            {
                bothValid++;
                if (first == score) consistent++;
            }
        }
        // A model that gave no answer loses both games without asking the judge.
        for (int i = 0; i < items.Count; i++)
            if (answers[i].Text is null) games[i].AddRange([0, 0]);

        var overall = WinRate.Compute(games, resamples, seed);
        var byLanguage = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        foreach (var group in Enumerable.Range(0, items.Count).GroupBy(i => items[i].Language).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var summary = WinRate.Compute(group.Select(i => (IReadOnlyList<double>)games[i]).ToList(), resamples, seed);
            byLanguage[group.Key] = new Dictionary<string, double>
            {
                ["win_rate"] = summary.WinRate, ["ci_low"] = summary.Low, ["ci_high"] = summary.High,
                ["wins"] = summary.Wins, ["ties"] = summary.Ties, ["losses"] = summary.Losses, ["n"] = group.Count(),
            };
        }
        var metrics = new Dictionary<string, double>
        {
            ["win_rate"] = overall.WinRate,
            ["win_rate_ci_low"] = overall.Low,
            ["win_rate_ci_high"] = overall.High,
            ["games"] = overall.Games,
            ["wins"] = overall.Wins,
            ["ties"] = overall.Ties,
            ["losses"] = overall.Losses,
            ["judge_errors"] = judgeErrors,
            ["judge_unparsed"] = unparsed,
            ["judge_retries"] = judge.Retries - retriesBefore,
            ["position_consistency"] = bothValid == 0 ? double.NaN : (double)consistent / bothValid,
        };
        var records = items.Select((item, i) => new ItemRecord(Name, item.Id, item.Prompt, answers[i].Text, answers[i].Error)
        {
            Group = item.Language,
            Reference = item.Baseline,
            Scores = games[i].Count == 0 ? new Dictionary<string, double>() : new Dictionary<string, double> { ["win"] = games[i].Average(), ["games"] = games[i].Count },
            Verdicts = verdicts[i],
        }).ToList();
        return (records, new SuiteResult(Name, items.Count, answers.Count(a => a.Text is null), metrics,
            new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>> { ["by_language"] = byLanguage }));
    }

    static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
