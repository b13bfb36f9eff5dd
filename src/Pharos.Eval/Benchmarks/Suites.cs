// The evaluation suites by name, read from their data files: what `pharos eval --suite` and the quickstart both load.
using Pharos.Eval.Errors;

namespace Pharos.Eval.Benchmarks;

public static class Suites
{
    public static readonly IReadOnlyList<string> All = ["translation", "ifeval", "ifmt", "math"];

    /// <param name="limit">only the first N items; null = all</param>
    public static IBenchmark Load(string suite, string path, int? limit = null) => suite switch
    {
        "translation" => new TranslationBenchmark(path, limit),
        "ifeval" => new IfEvalBenchmark(path, limit),
        "ifmt" => new IfMtBenchmark(path, limit),
        "math" => new MathBenchmark(path, limit),
        _ => throw new InvalidInputException($"unknown suite '{suite}' (known: {string.Join(", ", All)})"),
    };
}
