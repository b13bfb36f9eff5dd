// `pharos eval`: runs the translation, IFEval, IF-MT and math suites on a local model or an OpenAI-compatible endpoint,
// writing per-item JSONL, results.json and an HTML report; `pharos eval report` compares results files side by side.
using System.CommandLine;
using System.Globalization;
using Pharos.Eval.Backends;
using Pharos.Eval.Benchmarks;
using Pharos.Eval.Errors;
using Pharos.Eval.Reports;
using Pharos.Models;
using Pharos.Models.Loading;
using Spectre.Console;

namespace Pharos.Cli.Commands;

internal static class EvalCommand
{
    public static Command Create()
    {
        var suites = new Option<string>("--suite") { Description = "Comma-separated suites: translation, ifeval, ifmt, math, arena (arena needs a judge).", DefaultValueFactory = _ => string.Join(',', Suites.Default) };
        var model = new Option<string?>("--model") { Description = "Local Hugging Face model folder to evaluate." };
        var endpoint = new Option<string?>("--endpoint") { Description = "OpenAI-compatible endpoint URL (e.g. http://127.0.0.1:8000/v1) to evaluate instead." };
        var modelName = new Option<string?>("--model-name") { Description = "Model name sent to the endpoint." };
        var apiKey = new Option<string?>("--api-key") { Description = "Bearer token for the endpoint (default: $OPENAI_API_KEY)." };
        var output = new Option<string?>("--output", "-o") { Description = "Output folder (default: eval-out/NAME)." };
        var name = new Option<string?>("--name") { Description = "Run name in reports (default: the model folder's or endpoint model's name)." };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N items of each suite." };
        var data = new Option<string[]>("--data") { Description = "Replace a suite's data: SUITE=PATH (default: samples/eval/).", AllowMultipleArgumentsPerToken = true };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most tokens per answer.", DefaultValueFactory = _ => 256 };
        var batchSize = new Option<int>("--batch-size") { Description = "Local model: prompts generated together.", DefaultValueFactory = _ => 8 };
        var concurrency = new Option<int>("--concurrency") { Description = "Endpoint: requests in flight.", DefaultValueFactory = _ => 4 };
        var device = CommonOptions.Device();
        var dtype = CommonOptions.DType();
        var cometModel = new Option<string?>("--comet-model") { Description = "COMET model folder: translation and ifmt also report COMET (segment, per pair, mean over pairs)." };
        var cometEncoder = new Option<string?>("--comet-encoder") { Description = "The COMET model's XLM-R tokenizer folder, when neither the model folder nor the Hugging Face cache has it." };
        var judgeEndpoint = new Option<string?>("--judge-endpoint") { Description = "OpenAI-compatible endpoint of the judge model (arena; --ifmt-judge)." };
        var judgeModel = new Option<string?>("--judge-model") { Description = "Judge model name sent to --judge-endpoint." };
        var judgeApiKey = new Option<string?>("--judge-api-key") { Description = "Bearer token for the judge (default: $OPENAI_API_KEY)." };
        var judgeConcurrency = new Option<int>("--judge-concurrency") { Description = "Judge requests in flight.", DefaultValueFactory = _ => 4 };
        var judgeMaxTokens = new Option<int>("--judge-max-tokens") { Description = "Most tokens per judgement.", DefaultValueFactory = _ => 1024 };
        var ifmtJudge = new Option<bool>("--ifmt-judge") { Description = "Also ask the judge whether each IF-MT response follows its instructions (judge_adherence)." };
        var arenaBaseline = new Option<string?>("--arena-baseline") { Description = "An earlier run's arena.jsonl whose outputs are the baseline answers (default: the data's 'baseline' field)." };

        var command = new Command("eval", "Evaluate a model on translation, IFEval, IF-MT, math and judged arena suites; per-item JSONL, results.json and an HTML report.");
        foreach (var o in new Option[] { suites, model, endpoint, modelName, apiKey, output, name, limit, data, maxTokens, batchSize, concurrency, device, dtype,
                     cometModel, cometEncoder, judgeEndpoint, judgeModel, judgeApiKey, judgeConcurrency, judgeMaxTokens, ifmtJudge, arenaBaseline })
            command.Options.Add(o);
        command.Subcommands.Add(ReportCommand());

        command.SetAction(async (parse, cancel) =>
        {
            var modelDir = parse.GetValue(model);
            var url = parse.GetValue(endpoint);
            if ((modelDir is null) == (url is null)) throw new InvalidInputException("give either --model DIR or --endpoint URL --model-name NAME");
            if (url is not null && parse.GetValue(modelName) is null) throw new InvalidInputException("--endpoint needs --model-name NAME");
            var suiteList = ParseSuites(parse.GetValue(suites)!);
            var dataPaths = DataPaths(parse.GetValue(data) ?? [], suiteList);
            var lim = parse.GetValue(limit);
            if (lim is <= 0) throw new InvalidInputException("--limit must be positive");

            var judgeUrl = parse.GetValue(judgeEndpoint);
            if (judgeUrl is not null && parse.GetValue(judgeModel) is null) throw new InvalidInputException("--judge-endpoint needs --judge-model NAME");
            if (parse.GetValue(ifmtJudge) && judgeUrl is null) throw new InvalidInputException("--ifmt-judge needs --judge-endpoint URL --judge-model NAME");
            using var judge = judgeUrl is null ? null : new Pharos.Eval.Judging.Judge(
                new OpenAiEndpointBackend(judgeUrl, parse.GetValue(judgeModel)!, parse.GetValue(judgeApiKey) ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY"),
                    concurrency: parse.GetValue(judgeConcurrency)),
                new EvalGenerationSettings(MaxTokens: parse.GetValue(judgeMaxTokens)));

            // All data is read and checked before the model loads, so a bad item costs seconds, not a run.
            var benchmarks = suiteList.Select(s => Suites.Load(s, dataPaths[s], lim, judge, parse.GetValue(arenaBaseline))).ToList();
            using var comet = parse.GetValue(cometModel) is { } cometDir
                ? Pharos.Eval.Comet.CometModel.Load(cometDir, parse.GetValue(cometEncoder), DTypes.ParseDevice(parse.GetValue(device)!))
                : null;
            var runName = parse.GetValue(name) ?? (url is null ? Path.GetFileName(Path.GetFullPath(modelDir!).TrimEnd('/')) : parse.GetValue(modelName)!);
            var outDir = parse.GetValue(output) ?? Path.Combine("eval-out", runName);
            Directory.CreateDirectory(outDir);

            using IChatBackend backend = url is null
                ? new LocalModelBackend(modelDir!, DTypes.ParseDevice(parse.GetValue(device)!), DTypes.Parse(parse.GetValue(dtype)!), parse.GetValue(batchSize))
                : new OpenAiEndpointBackend(url, parse.GetValue(modelName)!, parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY"),
                    concurrency: parse.GetValue(concurrency));
            var settings = new EvalGenerationSettings(MaxTokens: parse.GetValue(maxTokens));
            var results = new List<SuiteResult>();
            await ErrorConsole.Instance.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async ctx =>
                {
                    var tasks = benchmarks.Select(b => ctx.AddTask(b.Name, autoStart: false, maxValue: Math.Max(1, b.Prompts.Count))).ToList();
                    for (int i = 0; i < benchmarks.Count; i++)
                    {
                        var task = tasks[i];
                        task.StartTask();
                        var (records, result) = await BenchmarkRunner.RunAsync(benchmarks[i], backend, settings, new SynchronousProgress<int>(n => task.Increment(n)), cancel);
                        if (comet is not null && benchmarks[i] is ITranslationSuite translations)
                            (records, result) = CometSuiteScores.Add(translations, records, result, comet);
                        if (judge is not null && parse.GetValue(ifmtJudge) && benchmarks[i] is IfMtBenchmark)
                            (records, result) = JudgedAdherence.Add(records, result, judge);
                        ItemRecord.WriteJsonl(Path.Combine(outDir, benchmarks[i].Name + ".jsonl"), records);
                        results.Add(result);
                        tasks[i].Value = tasks[i].MaxValue;
                    }
                });

            var run = new EvalRun(runName, backend.Name, DateTimeOffset.UtcNow, suiteList.ToDictionary(s => s, s => dataPaths[s]), results);
            run.Save(Path.Combine(outDir, "results.json"));
            HtmlReport.Write(Path.Combine(outDir, "report.html"), [run]);
            var stdout = parse.InvocationConfiguration.Output;
            foreach (var r in results)
                stdout.WriteLine($"{r.Suite}: items={r.Items} errors={r.Errors} " +
                    string.Join(' ', r.Metrics.Select(m => $"{m.Key}={FormatMetric(m.Key, m.Value)}")));
            ErrorConsole.Instance.MarkupLine($"wrote {Markup.Escape(Path.Combine(outDir, "results.json"))} and {Markup.Escape(Path.Combine(outDir, "report.html"))}");
            return 0;
        });
        return command;
    }

    /// <summary>Rates and COMET with three decimals, BLEU/chrF (0–100) with two, counts as integers.</summary>
    internal static string FormatMetric(string key, double value) =>
        key is "games" or "wins" or "ties" or "losses" or "judge_errors" or "judge_unparsed" or "judge_retries"
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString(Math.Abs(value) <= 1 && !key.Contains("BLEU") && !key.Contains("chrF") || key == "COMET" ? "0.000" : "0.00", CultureInfo.InvariantCulture);

    static Command ReportCommand()
    {
        var files = new Argument<string[]>("results") { Description = "results.json files of one or more runs.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "HTML file to write (PNGs go to NAME_plots/ beside it).", DefaultValueFactory = _ => "report.html" };
        var command = new Command("report", "Render an HTML report comparing several eval runs side by side.");
        command.Arguments.Add(files);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var runs = parse.GetValue(files)!.Select(EvalRun.Load).ToList();
            var path = parse.GetValue(output)!;
            var pngs = HtmlReport.Write(path, runs);
            parse.InvocationConfiguration.Output.WriteLine($"wrote {path} ({runs.Count} run(s), {pngs.Count} plot(s))");
            return 0;
        });
        return command;
    }

    internal static List<string> ParseSuites(string text)
    {
        var list = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        foreach (var s in list)
            if (!Suites.All.Contains(s)) throw new InvalidInputException($"unknown suite '{s}' (known: {string.Join(", ", Suites.All)})");
        if (list.Count == 0) throw new InvalidInputException("--suite is empty");
        return list;
    }

    static Dictionary<string, string> DataPaths(string[] overrides, List<string> suites)
    {
        var paths = new Dictionary<string, string>();
        foreach (var o in overrides)
        {
            int eq = o.IndexOf('=');
            if (eq <= 0 || !Suites.All.Contains(o[..eq])) throw new InvalidInputException($"--data takes SUITE=PATH with SUITE one of {string.Join(", ", Suites.All)}, got '{o}'");
            paths[o[..eq]] = o[(eq + 1)..];
        }
        foreach (var s in suites)
            if (!paths.ContainsKey(s)) paths[s] = Path.Combine(SamplePaths.Root, "eval", s + ".jsonl");
        return paths;
    }
}
