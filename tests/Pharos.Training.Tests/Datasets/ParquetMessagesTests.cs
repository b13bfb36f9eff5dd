// Parquet SFT data with a `messages` column of list<struct<content, role>> (as the Hugging Face hub stores chat data; the
// fixture is written by pyarrow, see Fixtures/parquet) reads exactly like the same records in JSONL: same JSON, same
// tokens and assistant-only targets, same bad-record reasons, rows numbered across row groups; through token shards too,
// and a damaged messages column stops with the file and the byte offset.
using System.Text.Json.Nodes;
using Pharos.IO;
using Pharos.Tests;
using Pharos.Training.Datasets;

namespace Pharos.Training.Tests.Datasets;

public class ParquetMessagesTests
{
    static readonly CharTokenizer Tok = new();
    static string Fixture(string name) => RepoPaths.Fixtures("Pharos.Training.Tests", "parquet", name);

    [Fact]
    public void Messages_column_reads_as_the_jsonl_records()
    {
        using var bad = new BadRecords();
        var parquet = RecordReader.Read(Fixture("chat.parquet"), bad).ToList();
        var jsonl = RecordReader.Read(Fixture("chat.jsonl"), bad).ToList();
        Assert.Equal(5, parquet.Count);
        Assert.Equal([1L, 2, 3, 4, 5], parquet.Select(r => r.Line));
        foreach (var (p, j) in parquet.Zip(jsonl))
            Assert.True(JsonNode.DeepEquals(j.Json, p.Json), $"row {p.Line}: {p.Json.ToJsonString()} vs {j.Json.ToJsonString()}");
        Assert.Equal("Olá, mundo — ção ✓", (string?)parquet[4].Json["messages"]![1]!["content"]);
    }

    [Fact]
    public void Sft_formatting_gives_the_same_examples_and_bad_records()
    {
        var formatter = new ChatFormatter(Tok);
        using var badParquet = new BadRecords();
        using var badJsonl = new BadRecords();
        var fromParquet = RecordReader.Read(Fixture("chat.parquet"), badParquet).Select(r => formatter.Format(r, badParquet)).ToList();
        var fromJsonl = RecordReader.Read(Fixture("chat.jsonl"), badJsonl).Select(r => formatter.Format(r, badJsonl)).ToList();
        Assert.Equal(2, fromParquet.Count(e => e is not null));
        foreach (var (p, j) in fromParquet.Zip(fromJsonl))
        {
            Assert.Equal(j?.Ids, p?.Ids);
            Assert.Equal(j?.Targets, p?.Targets);
        }
        Assert.Equal("4<|im_end|>\n6<|im_end|>\n", Tok.Decode(fromParquet[1]!.Ids.Where((_, i) => fromParquet[1]!.Targets[i]).ToList()));
        Assert.Equal(badJsonl.Counts, badParquet.Counts);
        Assert.Equal(3, badParquet.Counts.Values.Sum());
    }

    [Fact]
    public void Token_shards_of_the_parquet_file_give_the_jsonl_twins_rows()
    {
        using var dir = new TempDir();
        TrainingData Build(string file, BadRecords bad) =>
            DataPipeline.Build([new DataSource("chat", [Fixture(file)])], Tok, dir.File("shards-" + file), 256, streamPacking: false, seed: 4, bad, evalFraction: 0);
        using var badParquet = new BadRecords();
        using var badJsonl = new BadRecords();
        var fromParquet = Build("chat.parquet", badParquet);
        var fromJsonl = Build("chat.jsonl", badJsonl);
        using var r1 = fromParquet.Resources;
        using var r2 = fromJsonl.Resources;
        Assert.Equal(fromJsonl.Train.Count, fromParquet.Train.Count);
        Assert.Equal(fromJsonl.TrainTargetTokens, fromParquet.TrainTargetTokens);
        Assert.True(fromParquet.TrainTargetTokens > 0);
        for (int i = 0; i < 3; i++)
        {
            var expected = fromJsonl.Train.Next(1)[0];
            var actual = fromParquet.Train.Next(1)[0];
            Assert.Equal(expected.Ids, actual.Ids);
            Assert.Equal(expected.Targets, actual.Targets);
            Assert.Equal(expected.DocIds, actual.DocIds);
        }
        Assert.Equal(badJsonl.Counts, badParquet.Counts);
        Assert.Equal(3, badParquet.Counts.Values.Sum());
    }

    public sealed class Message
    {
        public string? role { get; set; }
        public string? content { get; set; }
    }

    public sealed class ChatRow
    {
        public List<Message>? messages { get; set; }
    }

    [Fact]
    public async Task A_damaged_messages_column_stops_with_file_and_offset()
    {
        using var dir = new TempDir();
        var path = dir.File("chat.parquet");
        var rng = new Random(11);
        string Words() => string.Concat(Enumerable.Range(0, 30).Select(_ => (char)rng.Next('a', 'z')));
        var rows = Enumerable.Range(0, 2000).Select(i => new ChatRow
        {
            messages = [new Message { role = "user", content = $"question {i} {Words()}" }, new Message { role = "assistant", content = $"answer {i} {Words()}" }],
        }).ToList();
        await Parquet.Serialization.ParquetSerializer.SerializeAsync(rows, path);
        using (var intact = new BadRecords())
            Assert.Equal("answer 7 ", ((string?)RecordReader.Read(path, intact).ElementAt(7).Json["messages"]![1]!["content"])![..9]);
        var bytes = File.ReadAllBytes(path);
        // The pages start right after the 4-byte magic; damage them and keep the footer intact.
        for (int i = 64; i < bytes.Length / 2; i += 7) bytes[i] ^= 0xa5;
        File.WriteAllBytes(path, bytes);
        using var bad = new BadRecords();
        var e = Assert.Throws<CorruptInputException>(() => RecordReader.Read(path, bad).Count());
        Assert.Equal(path, e.File);
        Assert.Contains("row group 0, column messages", e.Message);
        Assert.InRange(e.Offset, 4, bytes.Length / 2);
    }
}
