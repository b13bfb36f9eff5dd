// From files to training rows, always through token shards: each input file is tokenized once into a memory-mapped shard
// (text → CPT document, messages/prompt+completion → chat with assistant-only targets; bad records counted and listed),
// then the stage's rows are mixed and packed from the shards on demand (ShardMix). A rerun or a resume tokenizes nothing.
using Pharos.Training.Datasets.Shards;

namespace Pharos.Training.Datasets;

public static class DataPipeline
{
    /// <param name="shardsFolder">where token shards are made and found (a rerun reuses them)</param>
    /// <param name="streamPacking">true (CPT): documents joined into one stream cut at sequenceLength;
    /// false (SFT): whole examples packed side by side with per-document attention, longer ones rejected as too_long</param>
    /// <param name="packExamples">SFT only: false puts one example per row</param>
    /// <param name="workers">input files tokenized in parallel (0: one per core)</param>
    public static TrainingData Build(IReadOnlyList<DataSource> sources, ITextTokenizer tokenizer, string shardsFolder, int sequenceLength, bool streamPacking,
        long seed, BadRecords bad, double evalFraction = 0.05, int evalMax = 256, bool packExamples = true, Action<string>? progress = null,
        bool? sharesByTokens = null, int workers = 0)
    {
        var opened = TokenShards.Prepare(sources, tokenizer, shardsFolder, workers, bad, progress);
        try
        {
            var (data, rows) = ShardMix.Build(opened, sequenceLength, streamPacking, seed, bad, evalFraction, evalMax, packExamples, sharesByTokens);
            return data with { Resources = rows };
        }
        catch
        {
            foreach (var shard in opened.SelectMany(s => s.Shards)) shard.Shard.Dispose();
            throw;
        }
    }
}
