// Parquet SFT data with a `messages` column of list<struct<content, role>> (as the Hugging Face hub stores chat data; the
// fixture is written by pyarrow, see Fixtures/parquet) reads exactly like the same records in JSONL: same JSON, same
// tokens and assistant-only targets, same bad-record reasons, rows numbered across row groups.
using System.Text.Json.Nodes;
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
}
