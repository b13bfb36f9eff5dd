// Preference and prompt files to training rows: pairs (stage dpo) as chosen+rejected rows, prompts (stage grpo) as
// prompt-token rows that keep their record for the rewards; bad records counted, an eval split held out per source.
using System.Text.Json.Nodes;

namespace Pharos.Training.Datasets;

public static class PreferenceData
{
    public static TrainingData Pairs(IReadOnlyList<DataSource> sources, ITextTokenizer tokenizer, int sequenceLength, long seed,
        BadRecords bad, double evalFraction, int evalMax)
    {
        var formatter = new PreferenceFormatter(tokenizer);
        return Build(sources, seed, evalFraction, evalMax, record =>
        {
            var row = formatter.Format(record, bad);
            if (row is not null && row.Length > sequenceLength)
            {
                bad.Add(record.File, record.Line, BadRecords.TooLong, $"chosen + rejected are {row.Length} tokens > sequence length {sequenceLength}");
                return null;
            }
            return row;
        }, bad);
    }

    /// <summary>`prompt` as a string (BOS + text, as TRL for non-chat prompts) or a message list (chat template with the generation prompt).</summary>
    public static TrainingData Prompts(IReadOnlyList<DataSource> sources, ITextTokenizer tokenizer, int maxPromptLength, long seed,
        BadRecords bad, double evalFraction, int evalMax)
    {
        return Build(sources, seed, evalFraction, evalMax, record =>
        {
            int[]? ids = null;
            if (record.Json["prompt"] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0)
                ids = [.. tokenizer.BosId is int bos ? new[] { bos } : [], .. tokenizer.Encode(text)];
            else if (record.Json["prompt"] is JsonArray messages && messages.Count > 0)
            {
                var turns = messages.Select(m => new ChatTurn((string?)m?["role"] ?? "user", (string?)m?["content"] ?? "")).ToList();
                ids = tokenizer.Encode(tokenizer.RenderChat(turns, addGenerationPrompt: true));
            }
            if (ids is null || ids.Length == 0)
            {
                bad.Add(record.File, record.Line, BadRecords.MissingField, "a GRPO record needs a non-empty 'prompt' (string or message list)");
                return null;
            }
            if (ids.Length > maxPromptLength)
            {
                bad.Add(record.File, record.Line, BadRecords.TooLong, $"prompt is {ids.Length} tokens > {maxPromptLength}");
                return null;
            }
            return new PackedSequence(ids, new bool[ids.Length], new int[ids.Length], Enumerable.Range(0, ids.Length).ToArray()) { Record = record.Json };
        }, bad);
    }

    static TrainingData Build(IReadOnlyList<DataSource> sources, long seed, double evalFraction, int evalMax, Func<SourceRecord, PackedSequence?> format, BadRecords bad)
    {
        var train = new List<PackedSequence>();
        var eval = new List<PackedSequence>();
        var counts = new List<(int Examples, long Targets)>();
        for (int s = 0; s < sources.Count; s++)
        {
            var rows = sources[s].Paths.SelectMany(p => RecordReader.Read(p, bad)).Select(format).OfType<PackedSequence>().ToList();
            var order = Seeds.Permutation(rows.Count, new Random(Seeds.Derive(seed, "eval-split", s)));
            int held = rows.Count < 2 ? 0 : Math.Min(evalMax, (int)Math.Round(rows.Count * evalFraction));
            eval.AddRange(order.Take(held).Select(i => rows[i]));
            train.AddRange(order.Skip(held).Order().Select(i => rows[i]));
            var kept = order.Skip(held).Select(i => rows[i]).ToList();
            counts.Add((kept.Count, kept.Sum(r => (long)r.Targets.Count(t => t))));
        }
        // Preference sources are used whole, not mixed by share: the shares reported are what each source contributed.
        long targets = counts.Sum(c => c.Targets);
        int examples = counts.Sum(c => c.Examples);
        var mix = sources.Select((src, s) => new MixShare(src.Name, src.Share, counts[s].Examples,
            examples == 0 ? 0 : (double)counts[s].Examples / examples, counts[s].Targets, targets == 0 ? 0 : (double)counts[s].Targets / targets, 1)).ToList();
        return new TrainingData(new SequenceDataset(train, seed), eval, mix, targets);
    }
}
