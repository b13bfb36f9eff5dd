// `pharos quickstart`: the whole Tower+ recipe in miniature on the bundled sample data (configs/quickstart.yaml):
// train a tokenizer, CPT a tiny model from scratch, SFT it (22% translation), WPO on pairs sampled from the SFT model
// and ranked by chrF, GRPO on verifiable rewards — evaluating translation, IF-MT and IFEval before the first stage
// and after each one — then a table and an HTML report with plots.
using System.CommandLine;
using System.Diagnostics;
using Pharos.Eval.Backends;
using Pharos.Eval.Benchmarks;
using Pharos.Eval.Reports;
using Pharos.Models;
using Pharos.Models.Loading;
using Pharos.Training;
using Pharos.Training.Evaluation;
using Pharos.Training.Preferences;
using Pharos.Training.Recipes;
using Pharos.Training.Rewards;
using Pharos.Training.Tokenizer;
using Spectre.Console;

namespace Pharos.Cli.Commands;

internal static class QuickstartCommand
{
    const int Steps = 9;
    const string MarkerFile = ".pharos-quickstart";

    public static Command Create()
    {
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the run (default: runs/quickstart)." };
        var set = new Option<string[]>("--set") { Description = "Override a field of configs/quickstart.yaml, e.g. --set cpt.train.max_steps=50 or --set eval.limit=10." };
        var command = new Command("quickstart",
            "Run the whole Tower+ recipe on a tiny model and the bundled sample data (CPU, about 10 minutes): tokenizer, CPT, SFT, WPO, GRPO, " +
            "with translation, IF-MT and IFEval scores before and after each stage, a table and an HTML report.");
        command.Options.Add(output);
        command.Options.Add(set);
        command.SetAction(parse => Run(parse.GetValue(output), parse.GetValue(set) ?? []));
        return command;
    }

    static int Run(string? outputOverride, string[] sets)
    {
        var clock = Stopwatch.StartNew();
        // One libtorch thread unless PHAROS_THREADS says otherwise: this model's matmuls are small, and on a shared or
        // busy 2-core machine two OpenMP threads spinning against other work made steps 3x slower than one thread.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PHAROS_THREADS"))) TorchSharp.torch.set_num_threads(1);
        var repo = Path.GetDirectoryName(Path.GetFullPath(SamplePaths.Root))!;
        var planPath = Path.Combine(repo, "configs", "quickstart.yaml");
        var plan = RecipeBinder.Parse<QuickstartPlan>(File.ReadAllText(planPath), sets, planPath);
        string InRepo(string p) => Path.IsPathRooted(p) ? p : Path.Combine(repo, p);
        var output = Path.GetFullPath(outputOverride ?? plan.Output);

        // Everything is read and checked before the first step, so a bad override costs seconds, not a run.
        var (suites, evalData) = EvalSuites(plan.Eval, InRepo);
        var cpt = Stage(plan.Cpt, "cpt", output, InRepo);
        var sft = Stage(plan.Sft, "sft", output, InRepo);
        var wpo = Stage(plan.Wpo, "wpo", output, InRepo);
        var grpo = Stage(plan.Grpo, "grpo", output, InRepo);
        var pairsFile = Path.Combine(output, "wpo-pairs.jsonl");
        wpo.Data.Sources = [new SourceSection { Name = "pairs", Paths = [pairsFile] }];
        var pairRewards = RewardRegistry.Build(plan.Prefs.Rewards.Select(r => new RewardSpec(r.Name, r.Weight, r.Column, r.Model, r.Encoder, r.Device)).ToList());
        var prefsInput = InRepo(plan.Prefs.Input);
        if (!File.Exists(prefsInput)) throw new Models.Errors.PharosException($"prefs.input: {prefsInput} not found");

        // A rerun replaces the previous quickstart run, and only that: a folder without the marker is never deleted.
        var marker = Path.Combine(output, MarkerFile);
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            if (!File.Exists(marker))
                throw new Models.Errors.PharosException($"{output} exists and is not a quickstart run (no {MarkerFile}); choose another --output or empty it");
            Directory.Delete(output, recursive: true);
        }
        Directory.CreateDirectory(output);
        File.WriteAllText(marker, "written by `pharos quickstart`: a rerun with this output deletes this folder first\n");
        AnsiConsole.MarkupLine($"[bold]Pharos quickstart[/]: the Tower+ recipe in miniature on [blue]{Markup.Escape(Path.Combine(SamplePaths.Root, "data"))}[/] → [blue]{Markup.Escape(output)}[/]");
        var settings = new EvalGenerationSettings(MaxTokens: plan.Eval.MaxNewTokens);
        var runs = new List<EvalRun>();
        EvalRun Evaluate(string name, string model)
        {
            var run = StageEvaluation.Run(name, model, suites, evalData, settings, plan.Eval.BatchSize, Path.Combine(output, "eval", name),
                (suite, done, total) => { if (done == total) Console.WriteLine($"    {suite}: {total} items"); });
            Console.WriteLine("    " + QuickstartTable.Headline(run));
            runs.Add(run);
            return run;
        }

        // 1. Tokenizer.
        var tokenizerFolder = Path.Combine(output, "tokenizer");
        Step(1, $"training a byte-level BPE tokenizer ({plan.Tokenizer.VocabSize} tokens)");
        var vocab = new BpeTrainer(plan.Tokenizer.VocabSize, TokenizerFiles.DefaultSpecials, plan.Tokenizer.MinFrequency)
            .Train(TokenizerCommand.Texts(plan.Tokenizer.Inputs.Select(InRepo).ToList()), (done, total) => { if (done % 512 == 0) Console.WriteLine($"    {done}/{total} tokens"); });
        TokenizerFiles.Write(vocab, tokenizerFolder);
        AnsiConsole.MarkupLine($"    {vocab.Size} tokens, {vocab.Merges.Count} merges → {Markup.Escape(tokenizerFolder)} ({clock.Elapsed.TotalSeconds:F0} s)");

        // 2. The starting point: the freshly initialised model CPT begins from (what "before CPT" scores).
        cpt.Model.Tokenizer = tokenizerFolder;
        RecipeValidator.Validate(cpt);
        Step(2, $"evaluating the freshly initialised model ({cpt.Model.New!.Family}, hidden {cpt.Model.New.HiddenSize}, {cpt.Model.New.NumLayers} layers)");
        var initFolder = Path.Combine(output, "init");
        var tokenizer = TokenizerLoader.Load(tokenizerFolder);
        using (var init = NewModel.Create(cpt.Model.New, tokenizer, cpt.Seed, DTypes.Resolve(cpt.Model.Dtype, null), DTypes.ParseDevice(cpt.Model.Device)))
            ModelSaver.Save(init, initFolder);
        TokenizerLoader.CopyFiles(tokenizerFolder, initFolder);
        Evaluate("init", initFolder);

        // Each stage starts from the previous stage's model (CPT from the initial one, by its seed), runs with a progress
        // bar, prints its summary and is evaluated.
        StageResult RunStage(int n, string name, Recipe recipe, string? startFrom, string what)
        {
            if (startFrom is not null) recipe.Model.Path = startFrom;
            RecipeValidator.Validate(recipe);
            Step(n, what);
            // GRPO has no eval loss (its eval would mean sampling; its signal is the reward).
            var result = TrainingProgress.Show(name, o => StageRunner.Run(recipe, o, evalBefore: recipe.Stage != "grpo"));
            StageSummary.Print(result);
            Evaluate(name, result.FinalModel!);
            return result;
        }

        var cptResult = RunStage(3, "cpt", cpt, null, $"continued pretraining from scratch, {cpt.Train.MaxSteps} steps ({Mix(cpt)})");
        var sftResult = RunStage(4, "sft", sft, cptResult.FinalModel!, $"supervised fine-tuning, {sft.Train.MaxSteps} steps ({Mix(sft)})");

        // 5. On-policy preference pairs from the SFT model, ranked by the rewards (chrF against the reference).
        Step(5, $"sampling {plan.Prefs.NumSamples} translations per prompt from the SFT model and pairing best vs worst ({string.Join(", ", plan.Prefs.Rewards.Select(r => r.Name))})");
        PairStats pairs;
        using (var sftModel = ModelLoader.Load(sftResult.FinalModel!))
        {
            var sftTokenizer = TokenizerLoader.Load(sftResult.FinalModel!);
            pairs = PairBuilder.Sample(sftModel, sftTokenizer, sftTokenizer is HfTextTokenizer hf ? hf.StopIds : [sftTokenizer.EosId], prefsInput, pairsFile,
                pairRewards, plan.Prefs.NumSamples, plan.Prefs.Temperature, plan.Prefs.MaxNewTokens, plan.Wpo.Seed);
        }
        Console.WriteLine($"    {pairs.Pairs} pairs from {pairs.Prompts} prompts ({pairs.NoPreference} without a preference) → {pairsFile}");
        if (pairs.Pairs < 2) throw new Models.Errors.PharosException($"only {pairs.Pairs} preference pairs from {prefsInput}: too few for WPO (raise prefs.num_samples or prefs.temperature)");

        // The SFT model is also WPO's frozen reference.
        var wpoResult = RunStage(6, "wpo", wpo, sftResult.FinalModel!, $"WPO (weighted DPO, beta {wpo.Dpo.Beta}), {wpo.Train.MaxSteps} steps on the pairs");
        var grpoResult = RunStage(7, "grpo", grpo, wpoResult.FinalModel!,
            $"GRPO ({grpo.Grpo.NumGenerations} completions per prompt, rewards {string.Join(" + ", grpo.Grpo.Rewards.Select(r => $"{r.Weight}·{r.Name}"))}), {grpo.Train.MaxSteps} steps");

        // 8–9. The table and the report.
        Step(8, "summary");
        var rows = QuickstartTable.Rows(runs, [cptResult, sftResult, wpoResult, grpoResult]);
        AnsiConsole.Write(QuickstartTable.Render(rows));
        QuickstartTable.SaveJson(Path.Combine(output, "summary.json"), rows, clock.Elapsed);
        Step(9, "writing the HTML report");
        var report = Path.Combine(output, "report.html");
        QuickstartReport.Write(report, rows, runs, [cptResult, sftResult, wpoResult, grpoResult]);
        AnsiConsole.MarkupLine($"model:       [blue]{Markup.Escape(grpoResult.FinalModel!)}[/] (Hugging Face folder; try `pharos chat` or transformers)");
        AnsiConsole.MarkupLine($"report:      [blue]{Markup.Escape(report)}[/]  (and summary.json, eval/*/results.json)");
        AnsiConsole.MarkupLine($"tensorboard: [blue]tensorboard --logdir {Markup.Escape(output)}[/]");
        AnsiConsole.MarkupLine($"done in {clock.Elapsed:mm\\:ss}");
        return 0;
    }

    static void Step(int n, string what) => AnsiConsole.MarkupLine($"[bold]{n}/{Steps}[/] {Markup.Escape(what)}");

    static string Mix(Recipe r) => string.Join(", ", r.Data.Sources.Select(s => $"{s.Name} {s.Share:P0}"));

    /// <summary>The stage's recipe with its output under the run folder and its data paths resolved in the repository.</summary>
    static Recipe Stage(Recipe recipe, string name, string output, Func<string, string> inRepo)
    {
        recipe.Output = Path.Combine(output, name);
        foreach (var s in recipe.Data.Sources) s.Paths = s.Paths.Select(inRepo).ToList();
        return recipe;
    }

    static (List<IBenchmark> Suites, Dictionary<string, string> Data) EvalSuites(QuickstartEvalPlan plan, Func<string, string> inRepo)
    {
        var data = new Dictionary<string, string>();
        foreach (var (suite, path) in new[] { ("translation", plan.Translation), ("ifmt", plan.Ifmt), ("ifeval", plan.Ifeval) })
            if (path.Length > 0) data[suite] = inRepo(path);
        if (data.Count == 0) throw new RecipeException("eval", "name at least one of translation, ifmt, ifeval");
        return (data.Select(d => Suites.Load(d.Key, d.Value, plan.Limit > 0 ? plan.Limit : null)).ToList(), data);
    }
}
