// The optional IF-MT instruction-adherence judge, beside the verifiers: a judge model reads each request and the
// model's response and says whether every instruction was followed. Judge failures are counted, never fatal.
using Pharos.Eval.Judging;

namespace Pharos.Eval.Benchmarks;

public static class JudgedAdherence
{
    public const string Key = "judge_adherence";

    public static (IReadOnlyList<ItemRecord> Records, SuiteResult Result) Add(IReadOnlyList<ItemRecord> records, SuiteResult result, Judge judge)
    {
        int retriesBefore = judge.Retries;
        var asked = Enumerable.Range(0, records.Count).Where(i => records[i].Output is not null).ToList();
        var answers = judge.Ask(asked.Select(i => JudgePrompts.Adherence(records[i].Prompt, records[i].Output!.Trim())).ToList());
        var outcome = new double?[records.Count];
        int errors = 0, unparsed = 0;
        for (int k = 0; k < asked.Count; k++)
        {
            if (answers[k].Text is null) { errors++; continue; }
            if (JudgePrompts.ParseAdherence(answers[k].Text) is not { } followed) { unparsed++; continue; }
            outcome[asked[k]] = followed ? 1 : 0;
        }
        // A missing response follows nothing, as the verifiers count it.
        for (int i = 0; i < records.Count; i++)
            if (records[i].Output is null) outcome[i] = 0;

        var scored = records.Select((r, i) => outcome[i] is { } o
            ? r with { Scores = new Dictionary<string, double>(r.Scores) { [Key] = o } }
            : r).ToList();
        var metrics = new Dictionary<string, double>(result.Metrics);
        var valid = outcome.Where(o => o is not null).Select(o => o!.Value).ToList();
        metrics[Key] = valid.Count == 0 ? double.NaN : valid.Average();
        metrics["judge_errors"] = errors;
        metrics["judge_unparsed"] = unparsed;
        metrics["judge_retries"] = judge.Retries - retriesBefore;
        var breakdowns = result.Breakdowns.ToDictionary(kv => kv.Key, kv => kv.Value);
        if (breakdowns.TryGetValue("by_pair", out var byPair))
            breakdowns["by_pair"] = byPair.ToDictionary(kv => kv.Key, kv =>
            {
                var mine = Enumerable.Range(0, records.Count).Where(i => records[i].Group == kv.Key && outcome[i] is not null).Select(i => outcome[i]!.Value).ToList();
                return (IReadOnlyDictionary<string, double>)new Dictionary<string, double>(kv.Value) { [Key] = mine.Count == 0 ? double.NaN : mine.Average() };
            });
        return (scored, result with { Metrics = metrics, Breakdowns = breakdowns });
    }
}
