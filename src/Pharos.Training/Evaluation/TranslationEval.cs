// Translates a held-out set with the Tower+ prompt in the model's chat template (greedy, batched, KV cache) and scores
// it with sacrebleu-exact chrF: the before/after number the quickstart reports.
using System.Text.Json.Nodes;
using Pharos.Eval.Metrics;
using Pharos.Models.Errors;
using Pharos.Models.Generation;
using Pharos.Models.Tokenization;
using Pharos.Models.Transformer;
using Pharos.Training.Datasets;

namespace Pharos.Training.Evaluation;

public sealed record TranslationItem(string SourceLang, string TargetLang, string Source, string Reference);

public sealed record TranslationResult(double ChrF, IReadOnlyList<TranslationItem> Items, IReadOnlyList<string> Hypotheses);

public static class TranslationEval
{
    public static List<TranslationItem> Read(string path)
    {
        using var bad = new BadRecords(strict: true);
        return RecordReader.Read(path, bad).Select(r => new TranslationItem(
            (string?)r.Json["source_lang"] ?? throw new InvalidRecordException(r.File, r.Line, BadRecords.MissingField, "source_lang"),
            (string?)r.Json["target_lang"] ?? throw new InvalidRecordException(r.File, r.Line, BadRecords.MissingField, "target_lang"),
            (string?)r.Json["source"] ?? throw new InvalidRecordException(r.File, r.Line, BadRecords.MissingField, "source"),
            (string?)r.Json["reference"] ?? throw new InvalidRecordException(r.File, r.Line, BadRecords.MissingField, "reference"))).ToList();
    }

    public static TranslationResult Run(CausalLM model, ITextTokenizer tokenizer, IReadOnlyList<TranslationItem> items,
        IReadOnlyList<int> stopIds, int maxNewTokens = 48, int batchSize = 16, Action<int, int>? progress = null)
    {
        if (items.Count == 0) throw new PharosException("no translation items to evaluate");
        var generator = new TokenGenerator(model);
        var hypotheses = new List<string>();
        for (int i = 0; i < items.Count; i += batchSize)
        {
            var batch = items.Skip(i).Take(batchSize).ToList();
            var prompts = batch.Select(t => tokenizer.Encode(tokenizer.RenderChat(
                [new ChatTurn("user", TranslationPrompt.Build(t.Source, t.SourceLang, t.TargetLang))], addGenerationPrompt: true))).ToArray();
            var results = generator.Generate(prompts, new GenerationOptions { MaxNewTokens = maxNewTokens, StopTokenIds = stopIds.ToArray() });
            foreach (var r in results)
                hypotheses.Add(tokenizer.Decode(r.Tokens.Where(t => !stopIds.Contains(t)).ToList()).Trim());
            progress?.Invoke(Math.Min(i + batchSize, items.Count), items.Count);
        }
        var score = new ChrF().CorpusScore(hypotheses, [items.Select(t => t.Reference).ToList()]);
        return new TranslationResult(score.Score, items, hypotheses);
    }
}
