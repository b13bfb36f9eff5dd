// The in-memory data path Pharos had before token shards (everything read, tokenized, mixed and packed as lists on every
// start), kept as the reference the shard path must equal row for row.
// From files to training rows: read, format (text → CPT document, messages/prompt+completion → chat with assistant-only
// targets), drop and count bad records, hold out an eval split per source, mix by share, pack.
using Pharos.Training.Datasets;

namespace Pharos.Training.Tests.Datasets.InMemory;

internal static class InMemoryPipeline
{
    /// <param name="streamPacking">true (CPT): documents joined into one stream cut at sequenceLength;
    /// false (SFT): whole examples packed side by side with per-document attention, longer ones rejected as too_long</param>
    /// <param name="packExamples">SFT only: false puts one example per row</param>
    public static TrainingData Build(IReadOnlyList<DataSource> sources, ITextTokenizer tokenizer, int sequenceLength, bool streamPacking,
        long seed, BadRecords bad, double evalFraction = 0.05, int evalMax = 256, bool packExamples = true, Action<string>? progress = null, bool? sharesByTokens = null)
    {
        var text = new TextFormatter(tokenizer);
        var chat = new ChatFormatter(tokenizer);
        var train = new List<MixSource>();
        var eval = new List<TokenizedExample>();
        for (int s = 0; s < sources.Count; s++)
        {
            var source = sources[s];
            var examples = new List<TokenizedExample>();
            foreach (var path in source.Paths)
            {
                progress?.Invoke($"reading {Path.GetFileName(path)}");
                foreach (var record in RecordReader.Read(path, bad))
                {
                    var example = record.Json.ContainsKey("text") ? text.Format(record, bad) : chat.Format(record, bad);
                    if (example is null) continue;
                    bool splittable = streamPacking && record.Json.ContainsKey("text");
                    if (!splittable && example.Length > sequenceLength)
                    {
                        bad.Add(record.File, record.Line, BadRecords.TooLong, $"{example.Length} tokens > sequence length {sequenceLength}");
                        continue;
                    }
                    if (example.TargetCount == 0) continue;
                    examples.Add(example);
                }
            }
            var order = Seeds.Permutation(examples.Count, new Random(Seeds.Derive(seed, "eval-split", s)));
            int held = examples.Count < 2 ? 0 : Math.Min(evalMax, (int)Math.Round(examples.Count * evalFraction));
            eval.AddRange(order.Take(held).Select(i => examples[i]));
            train.Add(new MixSource(source.Name, source.Share, order.Skip(held).Order().Select(i => examples[i]).ToList()));
        }
        // CPT shares are of tokens (documents differ wildly in length); SFT shares are of examples unless told otherwise.
        var (mix, report) = DataMixer.Mix(train, (int)seed, byTokens: sharesByTokens ?? streamPacking);
        var rows = streamPacking ? Packer.PackStream(mix, sequenceLength) : Packer.PackExamples(mix, sequenceLength, packExamples);
        var evalRows = streamPacking ? Packer.PackStream(eval, sequenceLength) : Packer.PackExamples(eval, sequenceLength, packExamples);
        return new TrainingData(new SequenceDataset(rows, seed), evalRows, report, mix.Sum(e => e.TargetCount));
    }
}
