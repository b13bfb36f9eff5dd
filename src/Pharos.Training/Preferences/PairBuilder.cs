// `pharos prefs build`: on-policy preference pairs, as WPO wants them. Samples N completions per prompt from the current
// model (batched KV-cache generator), scores them with reward functions (metrics against a reference, verifiers), and
// writes best vs worst with their scores; prompts whose samples all score the same give no pair (counted).
using System.Text.Json.Nodes;
using Pharos.IO;
using Pharos.Models.Generation;
using Pharos.Models.Transformer;
using Pharos.Training.Datasets;
using Pharos.Training.Rewards;

namespace Pharos.Training.Preferences;

public sealed record PairStats(int Prompts, int Pairs, int NoPreference, long BadRecords);

public static class PairBuilder
{
    /// <param name="minMargin">the best must beat the worst by at least this much for a pair to be written</param>
    public static PairStats Sample(CausalLM model, ITextTokenizer tokenizer, IReadOnlyList<int> stopIds, string input, string output, RewardSet rewards,
        int numSamples = 4, double temperature = 1.0, int maxNewTokens = 128, long seed = 42, double minMargin = 1e-6, int batchPrompts = 4)
    {
        if (numSamples < 2) throw new Models.Errors.PharosException("--num-samples must be ≥ 2 (a pair needs two completions)");
        using var bad = new BadRecords(output + ".bad.jsonl");
        var prompts = PreferenceData.Prompts([new DataSource("prompts", [input])], tokenizer, model.Config.MaxPositionEmbeddings - maxNewTokens, seed, bad, 0, 0).Train.Rows;
        var generator = new TokenGenerator(model);
        int pairs = 0, flat = 0;
        model.eval();
        AtomicFile.Write(output, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            for (int start = 0; start < prompts.Count; start += batchPrompts)
            {
                var chunk = prompts.Skip(start).Take(batchPrompts).ToList();
                var expanded = chunk.SelectMany(r => Enumerable.Repeat((IReadOnlyList<int>)r.Ids, numSamples)).ToList();
                var results = generator.Generate(expanded, new GenerationOptions
                {
                    MaxNewTokens = maxNewTokens, Temperature = temperature, StopTokenIds = stopIds.ToArray(), Seed = Seeds.Derive(seed, "prefs", start),
                });
                var texts = results.Select(r => tokenizer.Decode(r.Tokens).Trim()).ToList();
                var inputs = texts.Select((t, i) => new RewardInput(tokenizer.Decode(expanded[i]), t, chunk[i / numSamples].Record!)).ToList();
                var scores = rewards.Score(inputs).Total;
                for (int p = 0; p < chunk.Count; p++)
                {
                    var range = Enumerable.Range(p * numSamples, numSamples).Where(i => texts[i].Length > 0).ToList();
                    if (range.Count < 2) { flat++; continue; }
                    int best = range.MaxBy(i => scores[i]), worst = range.MinBy(i => scores[i]);
                    if (scores[best] - scores[worst] < minMargin || texts[best] == texts[worst]) { flat++; continue; }
                    var record = chunk[p].Record!;
                    var pair = new JsonObject
                    {
                        ["prompt"] = record["prompt"]!.DeepClone(),
                        ["chosen"] = Completion(record, texts[best]),
                        ["rejected"] = Completion(record, texts[worst]),
                        ["score_chosen"] = scores[best],
                        ["score_rejected"] = scores[worst],
                    };
                    foreach (var (key, value) in record)
                        if (!pair.ContainsKey(key)) pair[key] = value?.DeepClone();
                    writer.WriteLine(pair.ToJsonString());
                    pairs++;
                }
            }
        });
        return new PairStats(prompts.Count, pairs, flat, bad.Total);
    }

    /// <summary>Given post-edits: `prompt` (or `source`), `post_edit` (chosen) and `mt` (rejected) per record; identical ones are skipped.</summary>
    public static PairStats FromPostEdits(string input, string output)
    {
        using var bad = new BadRecords(output + ".bad.jsonl");
        int prompts = 0, pairs = 0, same = 0;
        AtomicFile.Write(output, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            foreach (var r in RecordReader.Read(input, bad))
            {
                prompts++;
                var prompt = r.Json["prompt"] ?? r.Json["source"];
                if (prompt is null || r.Json["post_edit"] is not JsonValue pe || r.Json["mt"] is not JsonValue mt)
                {
                    bad.Add(r.File, r.Line, BadRecords.MissingField, "needs 'prompt' (or 'source'), 'post_edit' and 'mt'");
                    continue;
                }
                if ((string?)pe == (string?)mt) { same++; continue; }
                var pair = new JsonObject { ["prompt"] = prompt.DeepClone(), ["chosen"] = pe.DeepClone(), ["rejected"] = mt.DeepClone(), ["pair_source"] = "post_edit_vs_mt" };
                foreach (var (key, value) in r.Json)
                    if (!pair.ContainsKey(key)) pair[key] = value?.DeepClone();
                writer.WriteLine(pair.ToJsonString());
                pairs++;
            }
        });
        return new PairStats(prompts, pairs, same, bad.Total);
    }

    /// <summary>Conversational prompts get conversational completions (TRL's format), plain ones plain text.</summary>
    static JsonNode Completion(JsonObject record, string text) => record["prompt"] is JsonArray
        ? new JsonArray(new JsonObject { ["role"] = "assistant", ["content"] = text })
        : JsonValue.Create(text)!;
}
