// Evaluates one model folder on a set of `pharos eval` suites (translation, IF-MT, IFEval, …) with the same runners,
// prompts and metrics, so a quickstart number and a `pharos eval` number of the same model are the same number.
// Writes the per-item JSONL and results.json of the run into its folder.
using Pharos.Eval.Backends;
using Pharos.Eval.Benchmarks;
using Pharos.Eval.Reports;

namespace Pharos.Training.Evaluation;

public static class StageEvaluation
{
    /// <param name="suites">benchmarks read once and reused for every model (scoring keeps no state)</param>
    /// <param name="progress">(suite, items done, items in the suite)</param>
    public static EvalRun Run(string name, string modelFolder, IReadOnlyList<IBenchmark> suites, IReadOnlyDictionary<string, string> data,
        EvalGenerationSettings settings, int batchSize, string outDir, Action<string, int, int>? progress = null)
    {
        Directory.CreateDirectory(outDir);
        using var backend = new LocalModelBackend(modelFolder, batchSize: batchSize);
        var results = new List<SuiteResult>();
        foreach (var suite in suites)
        {
            int done = 0;
            var counter = new SynchronousProgress<int>(n => progress?.Invoke(suite.Name, done += n, suite.Prompts.Count));
            // The local backend completes synchronously; nothing here needs a scheduler.
            var (records, result) = BenchmarkRunner.RunAsync(suite, backend, settings, counter).GetAwaiter().GetResult();
            ItemRecord.WriteJsonl(Path.Combine(outDir, suite.Name + ".jsonl"), records);
            results.Add(result);
        }
        var run = new EvalRun(name, backend.Name, DateTimeOffset.UtcNow, data, results);
        run.Save(Path.Combine(outDir, "results.json"));
        return run;
    }
}
