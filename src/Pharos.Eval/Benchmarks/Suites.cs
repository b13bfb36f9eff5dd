// The evaluation suites by name, read from their data files: what `pharos eval --suite` and the quickstart both load.
using Pharos.Eval.Errors;

namespace Pharos.Eval.Benchmarks;

public static class Suites
{
    public static readonly IReadOnlyList<string> All = ["translation", "ifeval", "ifmt", "math", "arena"];

    /// <summary>What runs when no --suite is given: the suites that need no judge model.</summary>
    public static readonly IReadOnlyList<string> Default = ["translation", "ifeval", "ifmt", "math"];

    /// <param name="limit">only the first N items; null = all</param>
    /// <param name="judge">the judge model (arena needs one)</param>
    /// <param name="arenaBaseline">an earlier run's arena.jsonl whose outputs are the baseline answers</param>
    public static IBenchmark Load(string suite, string path, int? limit = null, Judging.Judge? judge = null, string? arenaBaseline = null) => suite switch
    {
        "translation" => new TranslationBenchmark(path, limit),
        "ifeval" => new IfEvalBenchmark(path, limit),
        "ifmt" => new IfMtBenchmark(path, limit),
        "math" => new MathBenchmark(path, limit),
        "arena" => judge is null
            ? throw new InvalidInputException("the arena suite needs a judge model: --judge-endpoint URL --judge-model NAME")
            : new ArenaBenchmark(path, judge, limit, arenaBaseline),
        _ => throw new InvalidInputException($"unknown suite '{suite}' (known: {string.Join(", ", All)})"),
    };
}
