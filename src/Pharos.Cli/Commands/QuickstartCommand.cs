// `pharos quickstart`: the Tower+ recipe in miniature on the bundled sample data (configs/quickstart.yaml): train a
// tokenizer, CPT a tiny model from scratch, SFT it on a mix with ~22% translation, then show what improved.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Pharos.Models.Loading;
using Pharos.Models.Tokenization;
using Pharos.Training;
using Pharos.Training.Evaluation;
using Pharos.Training.Recipes;
using Pharos.Training.Tokenizer;
using Spectre.Console;

namespace Pharos.Cli.Commands;

internal static class QuickstartCommand
{
    public static Command Create()
    {
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the run (default: runs/quickstart)." };
        var set = new Option<string[]>("--set") { Description = "Override a field of configs/quickstart.yaml, e.g. --set cpt.train.max_steps=50." };
        var command = new Command("quickstart", "Train a tokenizer, CPT a tiny model from scratch and SFT it on the bundled sample data; show eval loss and chrF (CPU, under 10 minutes).");
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
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        Directory.CreateDirectory(output);
        AnsiConsole.MarkupLine($"[bold]Pharos quickstart[/]: the Tower+ recipe in miniature on [blue]{Markup.Escape(Path.Combine(SamplePaths.Root, "data"))}[/] → [blue]{Markup.Escape(output)}[/]");

        // 1. Tokenizer.
        var tokenizerFolder = Path.Combine(output, "tokenizer");
        AnsiConsole.MarkupLine($"[bold]1/5[/] training a byte-level BPE tokenizer ({plan.Tokenizer.VocabSize} tokens)");
        var inputs = plan.Tokenizer.Inputs.Select(InRepo).ToList();
        var vocab = new BpeTrainer(plan.Tokenizer.VocabSize, TokenizerFiles.DefaultSpecials, plan.Tokenizer.MinFrequency)
            .Train(TokenizerCommand.Texts(inputs), (done, total) => { if (done % 512 == 0) Console.WriteLine($"    {done}/{total} tokens"); });
        TokenizerFiles.Write(vocab, tokenizerFolder);
        AnsiConsole.MarkupLine($"    {vocab.Size} tokens, {vocab.Merges.Count} merges → {Markup.Escape(tokenizerFolder)} ({clock.Elapsed.TotalSeconds:F0} s)");

        // 2. CPT from scratch.
        var cpt = plan.Cpt;
        cpt.Output = Path.Combine(output, "cpt");
        cpt.Model.Tokenizer = tokenizerFolder;
        foreach (var s in cpt.Data.Sources) s.Paths = s.Paths.Select(InRepo).ToList();
        RecipeValidator.Validate(cpt);
        AnsiConsole.MarkupLine($"[bold]2/5[/] continued pretraining from scratch ({cpt.Model.New!.Family}, hidden {cpt.Model.New.HiddenSize}, {cpt.Model.New.NumLayers} layers), {cpt.Train.MaxSteps} steps");
        var cptResult = TrainingProgress.Show("cpt", o => StageRunner.Run(cpt, o, evalBefore: true));
        StageSummary.Print(cptResult);

        // 3. Translation quality before SFT.
        var evalItems = TranslationEval.Read(InRepo(plan.Eval.File));
        AnsiConsole.MarkupLine($"[bold]3/5[/] translating {evalItems.Count} held-out sentences with the CPT model");
        var before = Translate(cptResult.FinalModel!, evalItems, plan.Eval);

        // 4. SFT from the CPT model.
        var sft = plan.Sft;
        sft.Output = Path.Combine(output, "sft");
        sft.Model.Path = cptResult.FinalModel!;
        foreach (var s in sft.Data.Sources) s.Paths = s.Paths.Select(InRepo).ToList();
        RecipeValidator.Validate(sft);
        AnsiConsole.MarkupLine($"[bold]4/5[/] supervised fine-tuning ({string.Join(", ", sft.Data.Sources.Select(s => $"{s.Name} {s.Share:P0}"))}), {sft.Train.MaxSteps} steps");
        var sftResult = TrainingProgress.Show("sft", o => StageRunner.Run(sft, o, evalBefore: true));
        StageSummary.Print(sftResult);

        // 5. Translation quality after SFT, and the summary.
        AnsiConsole.MarkupLine($"[bold]5/5[/] translating the held-out sentences with the SFT model");
        var after = Translate(sftResult.FinalModel!, evalItems, plan.Eval);
        PrintSummary(cptResult, sftResult, before, after, clock.Elapsed);
        return 0;
    }

    static TranslationResult Translate(string modelFolder, IReadOnlyList<TranslationItem> items, TranslationEvalPlan plan)
    {
        using var model = ModelLoader.Load(modelFolder);
        var tokenizer = new HfTextTokenizer(HfTokenizer.Load(modelFolder));
        return TranslationEval.Run(model, tokenizer, items, tokenizer.StopIds, plan.MaxNewTokens, plan.BatchSize,
            (done, total) => Console.WriteLine($"    translated {done}/{total}"));
    }

    static void PrintSummary(StageResult cpt, StageResult sft, TranslationResult before, TranslationResult after, TimeSpan elapsed)
    {
        string F(double? v) => v is double d ? d.ToString("F3", CultureInfo.InvariantCulture) : "-";
        var table = new Table().Title("What improved").AddColumns("stage", "eval loss before", "eval loss after", "chrF (held-out translation)");
        table.AddRow("CPT (from scratch)", F(cpt.EvalLossBefore), F(cpt.Train.EvalLoss), "");
        table.AddRow("SFT (22% translation)", F(sft.EvalLossBefore), F(sft.Train.EvalLoss),
            string.Create(CultureInfo.InvariantCulture, $"{before.ChrF:F1} → {after.ChrF:F1}"));
        AnsiConsole.Write(table);
        for (int i = 0; i < Math.Min(3, after.Items.Count); i++)
        {
            var item = after.Items[i];
            AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(item.SourceLang)}→{Markup.Escape(item.TargetLang)}[/] {Markup.Escape(item.Source)}");
            AnsiConsole.MarkupLine($"    reference: {Markup.Escape(item.Reference)}");
            AnsiConsole.MarkupLine($"    before SFT: {Markup.Escape(before.Hypotheses[i])}");
            AnsiConsole.MarkupLine($"    after SFT:  {Markup.Escape(after.Hypotheses[i])}");
        }
        AnsiConsole.MarkupLine($"model:       [blue]{Markup.Escape(sft.FinalModel!)}[/] (Hugging Face folder; try `pharos generate` or transformers)");
        AnsiConsole.MarkupLine($"tokenizer:   [blue]{Markup.Escape(Path.Combine(Path.GetDirectoryName(cpt.Output)!, "tokenizer"))}[/]");
        AnsiConsole.MarkupLine($"logs:        [blue]{Markup.Escape(cpt.Metrics)}[/], [blue]{Markup.Escape(sft.Metrics)}[/]");
        AnsiConsole.MarkupLine($"tensorboard: [blue]tensorboard --logdir {Markup.Escape(Path.GetDirectoryName(cpt.Output)!)}[/]");
        AnsiConsole.MarkupLine($"done in {elapsed:mm\\:ss}");
    }
}
