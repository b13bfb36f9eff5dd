// Token shards and the streaming mix: the same rows, eval split and realised shares as the in-memory pipeline they replace;
// resume by cursor with nothing re-read; tokenize tasks with completion markers; a tokenizer check; curation output
// (folders, rehydration weights) as input; a cut input stops before any shard of it exists.
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Pharos.IO;
using Pharos.Models.Errors;
using Pharos.Tests;
using Pharos.Training.Datasets;
using Pharos.Training.Datasets.Shards;
using Pharos.Training.Tests.Datasets.InMemory;

namespace Pharos.Training.Tests.Datasets;

public class ShardPipelineTests
{
    static readonly CharTokenizer Tok = new();

    static string Sample(string name) => RepoPaths.Samples("data", name);

    static readonly DataSource[] Cpt =
    [
        new("monolingual", [Sample("cpt-monolingual.jsonl")], 0.66),
        new("parallel", [Sample("cpt-parallel.jsonl")], 0.33),
        new("instructions", [Sample("cpt-instructions.jsonl")], 0.01),
    ];

    static readonly DataSource[] Sft =
    [
        new("translation", [Sample("sft-translation.jsonl")], 0.16),
        new("translation-instructions", [Sample("sft-ifmt.jsonl")], 0.06),
        new("general", [Sample("sft-general.jsonl")], 0.78),
    ];

    static void AssertSameRow(PackedSequence expected, PackedSequence actual)
    {
        Assert.Equal(expected.Ids, actual.Ids);
        Assert.Equal(expected.Targets, actual.Targets);
        Assert.Equal(expected.DocIds, actual.DocIds);
        Assert.Equal(expected.Positions, actual.Positions);
    }

    [Theory]
    [InlineData(true, 64, true)]    // CPT: token shares, stream packing
    [InlineData(false, 160, true)]  // SFT: example shares, example packing (some examples too long)
    [InlineData(false, 160, false)] // SFT, one example per row
    public void Shard_rows_equal_the_in_memory_pipelines_rows(bool cpt, int sequenceLength, bool pack)
    {
        using var dir = new TempDir();
        var sources = cpt ? Cpt : Sft;
        using var badMemory = new BadRecords();
        var expected = InMemoryPipeline.Build(sources, Tok, sequenceLength, cpt, seed: 7, badMemory, 0.05, 32, pack);
        using var badShards = new BadRecords();
        var actual = DataPipeline.Build(sources, Tok, dir.File("shards"), sequenceLength, cpt, seed: 7, badShards, 0.05, 32, pack);
        using var resources = actual.Resources;

        Assert.Equal(expected.Train.Count, actual.Train.Count);
        Assert.Equal(expected.TrainTargetTokens, actual.TrainTargetTokens);
        Assert.Equal(expected.Mix, actual.Mix);
        Assert.Equal(badMemory.Counts, badShards.Counts);
        // The held-out split: the same documents, packed the same way.
        Assert.Equal(expected.Eval.Count, actual.Eval.Count);
        for (int i = 0; i < expected.Eval.Count; i++) AssertSameRow(expected.Eval[i], actual.Eval[i]);
        // Two and a half epochs of training rows, in order (each epoch reshuffles).
        int draws = expected.Train.Count * 5 / 2 / 3;
        for (int d = 0; d < draws; d++)
        {
            var e = expected.Train.Next(3);
            var a = actual.Train.Next(3);
            for (int i = 0; i < 3; i++) AssertSameRow(e[i], a[i]);
        }
        Assert.Equal(expected.Train.Cursor, actual.Train.Cursor);
    }

    [Fact]
    public void A_resume_seeks_by_cursor_and_tokenizes_nothing_again()
    {
        using var dir = new TempDir();
        var shards = dir.File("shards");
        var first = DataPipeline.Build(Cpt, Tok, shards, 64, true, seed: 3, new BadRecords());
        var written = Directory.GetFiles(shards, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        for (int i = 0; i < 10; i++) first.Train.Next(4);
        var cursor = first.Train.Cursor;
        var expected = first.Train.Next(4);
        first.Resources!.Dispose();

        var messages = new List<string>();
        var second = DataPipeline.Build(Cpt, Tok, shards, 64, true, seed: 3, new BadRecords(), progress: messages.Add);
        using var resources = second.Resources;
        Assert.DoesNotContain(messages, m => m.StartsWith("tokenizing", StringComparison.Ordinal));
        // No shard, marker or list was written again.
        Assert.All(written, f => Assert.Equal(f.Value, File.GetLastWriteTimeUtc(f.Key)));
        second.Train.Seek(cursor);
        var actual = second.Train.Next(4);
        for (int i = 0; i < 4; i++) AssertSameRow(expected[i], actual[i]);
    }

    static string WriteJsonl(TempDir dir, string name, int records, int from = 0)
    {
        var path = dir.File(name);
        File.WriteAllLines(path, Enumerable.Range(from, records).Select(i => new JsonObject { ["text"] = $"doc {i} " + new string('z', i % 13) }.ToJsonString()));
        return path;
    }

    [Fact]
    public void A_rerun_tokenizes_only_missing_or_changed_inputs()
    {
        using var dir = new TempDir();
        var inputs = Enumerable.Range(0, 3).Select(i => new TokenizeInput(WriteJsonl(dir, $"in{i}.jsonl", 20 + i))).ToList();
        var plan = TokenizePlan.Create(dir.File("shards"), Tok, inputs);
        new Curation.Pipeline.LocalExecutor(2).Run(plan);
        Assert.True(plan.AllDone());
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(plan.Folder, TokenizePlan.ManifestFile)))!;
        Assert.Equal(63, (long)manifest["documents"]!);
        Assert.Equal(TokenizerIdentity.Of(Tok).TokenizerHash, (string)manifest["tokenizer_hash"]!);
        Assert.Equal(TokenizerIdentity.Of(Tok).ChatTemplateHash, (string)manifest["chat_template_hash"]!);
        Assert.Equal(3, manifest["sources"]!.AsArray().Count);

        var times = inputs.Select(i => File.GetLastWriteTimeUtc(plan.ShardPath(i))).ToList();
        File.Delete(plan.MarkerPath(inputs[0]));                   // an interrupted task
        File.AppendAllText(inputs[2].Path, "{\"text\":\"one more\"}\n"); // a changed input
        File.SetLastWriteTimeUtc(inputs[2].Path, DateTime.UtcNow.AddMinutes(1));
        var again = TokenizePlan.Create(dir.File("shards"), Tok, inputs);
        Assert.Equal([false, true, false], Enumerable.Range(0, 3).Select(again.IsDone));
        Assert.True(again.RunTask(again, 0));
        Assert.False(again.RunTask(again, 1));
        Assert.True(again.RunTask(again, 2));
        Assert.Equal(times[1], File.GetLastWriteTimeUtc(plan.ShardPath(inputs[1])));
        Assert.Equal(23, again.Marker(inputs[2])!.Documents);
    }

    sealed class OtherTokenizer : ITextTokenizer
    {
        public int[] Encode(string text) => [.. Tok.Encode(text).Select(i => i == 0 ? 0 : i + 1)];
        public string Decode(IReadOnlyList<int> ids) => Tok.Decode(ids);
        public int VocabSize => Tok.VocabSize + 1;
        public int? BosId => null;
        public int EosId => 0;
        public int PadId => 0;
        public string RenderChat(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt) => Tok.RenderChat(messages, addGenerationPrompt);
    }

    [Fact]
    public void Shards_made_with_another_tokenizer_are_refused()
    {
        using var dir = new TempDir();
        var input = new TokenizeInput(WriteJsonl(dir, "a.jsonl", 5));
        new Curation.Pipeline.LocalExecutor(1).Run(TokenizePlan.Create(dir.File("shards"), Tok, [input]));
        var e = Assert.Throws<PharosException>(() => TokenizePlan.Create(dir.File("shards"), new OtherTokenizer(), [input]));
        Assert.Contains("made with another tokenizer", e.Message);
        Assert.Contains(dir.File("shards"), e.Message);
    }

    [Fact]
    public void Ids_are_uint16_when_the_vocabulary_fits_else_uint32()
    {
        using var dir = new TempDir();
        foreach (var (vocab, width, id) in new[] { (65536, 2, 65535), (70000, 4, 69999) })
        {
            var path = dir.File($"v{vocab}.tok");
            using (var w = new TokenShardWriter(path, vocab))
            {
                w.Add(new TokenizedExample([1, id, 3], [false, true, true], "x", 4), isText: false);
                w.Commit();
            }
            using var shard = TokenShard.Open(path);
            Assert.Equal(width, shard.TokenBytes);
            var e = shard.Example(0, "x");
            Assert.Equal([1, id, 3], e.Ids);
            Assert.Equal([false, true, true], e.Targets);
            Assert.Equal(4, e.Line);
        }
    }

    [Fact]
    public void A_curation_output_folder_with_rehydration_weights_is_an_input_as_it_stands()
    {
        using var dir = new TempDir();
        // The layout `pharos curate` leaves: per-language folders of .jsonl.zst shards, bookkeeping under `_` folders.
        var final = Path.Combine(dir.Path, "curated", "final");
        foreach (var (lang, docs) in new[] { ("de", new[] { 1, 2 }), ("fr", new[] { 3 }) })
        {
            Directory.CreateDirectory(Path.Combine(final, lang));
            var lines = string.Concat(docs.Select(size => new JsonObject
            {
                ["text"] = $"{lang} document in a cluster of {size}", ["id"] = $"{lang}/{size}",
                ["metadata"] = new JsonObject { ["language"] = lang, ["minhash_cluster_size"] = size },
            }.ToJsonString() + "\n"));
            File.WriteAllBytes(Path.Combine(final, lang, "00000.jsonl.zst"), new ZstdSharp.Compressor().Wrap(Encoding.UTF8.GetBytes(lines)).ToArray());
        }
        Directory.CreateDirectory(Path.Combine(final, "_pharos", "stats"));
        File.WriteAllText(Path.Combine(final, "_pharos", "stats", "00000.json"), "{}");
        var weights = dir.File("rehydration.json");
        File.WriteAllText(weights, """{"1": 1, "2": 4, "3": 2}""");

        using var bad = new BadRecords();
        var data = DataPipeline.Build([new DataSource("web", [final], 1.0, weights)], Tok, dir.File("shards"), 512, true, 1, bad, evalFraction: 0);
        using var resources = data.Resources;
        Assert.Equal(0, bad.Total);
        // Three documents, 1 + 4 + 2 copies: one pass over the rehydrated source holds 7.
        var mix = Assert.Single(data.Mix);
        Assert.Equal(7, mix.Examples);
        var row = Assert.Single(Enumerable.Range(0, data.Train.Count).Select(_ => data.Train.Next(1)[0]));
        string text = Tok.Decode(row.Ids);
        Assert.Equal(4, CountOf(text, "de document in a cluster of 2"));
        Assert.Equal(2, CountOf(text, "fr document in a cluster of 3"));
        Assert.Equal(1, CountOf(text, "de document in a cluster of 1"));

        static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
    }

    [Fact]
    public void A_cut_input_stops_the_stage_before_any_shard_of_it_exists()
    {
        using var dir = new TempDir();
        var whole = dir.File("whole.jsonl.gz");
        using (var gz = new GZipStream(File.Create(whole), CompressionLevel.Optimal))
            gz.Write(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 3000).Select(i => $"{{\"text\":\"document number {i} {i * 31 % 997}\"}}\n"))));
        var bytes = File.ReadAllBytes(whole);
        var cut = dir.File("cut.jsonl.gz");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var shards = dir.File("shards");
        var e = Assert.Throws<CorruptInputException>(() => DataPipeline.Build([new DataSource("web", [cut])], Tok, shards, 64, true, 1, new BadRecords()));
        Assert.Equal(cut, e.File);
        Assert.Contains($"{cut}: truncated or corrupt input at byte", e.Message);
        Assert.Empty(Directory.GetFiles(shards, "*.tok"));
        Assert.Empty(Directory.GetFiles(shards, "*" + AtomicFile.TempSuffix, SearchOption.AllDirectories));
    }

    static TokenShard ShardOf(TempDir dir, string name, IEnumerable<TokenizedExample> examples)
    {
        var path = dir.File(name + ".tok");
        using (var w = new TokenShardWriter(path, 1 << 16))
        {
            foreach (var e in examples) w.Add(e, isText: e.Targets.All(t => t));
            w.Commit();
        }
        return TokenShard.Open(path);
    }

    static TokenizedExample Ex(int n, int start) => new(Enumerable.Range(start, n).ToArray(), Enumerable.Repeat(true, n).ToArray(), "f", start);

    [Fact]
    public void Mixing_meets_the_requested_shares_and_upsamples_small_sources()
    {
        using var dir = new TempDir();
        var big = ShardOf(dir, "big", Enumerable.Range(0, 780).Select(i => Ex(2, i)));
        var small = ShardOf(dir, "small", Enumerable.Range(0, 50).Select(i => Ex(2, 10_000 + i)));
        var (data, rows) = ShardMix.Build([new("general", 0.78, [(big, "big")]), new("translation", 0.22, [(small, "small")])], 8, false, 3, new BadRecords(), evalFraction: 0);
        using var _ = rows;
        var translation = data.Mix.Single(r => r.Name == "translation");
        Assert.Equal(Math.Round(0.22 * 830), translation.Examples);
        Assert.Equal(0.22, translation.ExampleShare, 2);
        Assert.Equal(Math.Round(0.22 * 830) / 50, translation.Passes, 3);
    }

    [Fact]
    public void Token_shares_weigh_long_documents_by_their_tokens()
    {
        using var dir = new TempDir();
        var longDocs = ShardOf(dir, "long", Enumerable.Range(0, 30).Select(i => Ex(50, i)));
        var shortPairs = ShardOf(dir, "short", Enumerable.Range(0, 400).Select(i => Ex(5, 1000 + i)));
        var (data, rows) = ShardMix.Build([new("monolingual", 2, [(longDocs, "l")]), new("parallel", 1, [(shortPairs, "s")])], 64, true, 1, new BadRecords(), evalFraction: 0);
        using var _ = rows;
        Assert.Equal(2.0 / 3, data.Mix[0].TokenShare, 2);
        Assert.Equal(1.0 / 3, data.Mix[1].TokenShare, 2);
    }
}
