// A cut or damaged input file stops reading with the file and the byte offset (never a quiet half file): gzip and zstd
// JSONL, and Parquet (a cut footer, a damaged column chunk). Bad lines in an intact file stay bad records.
using System.IO.Compression;
using System.Text;
using Pharos.IO;
using Pharos.Tests;
using Pharos.Training.Datasets;

namespace Pharos.Training.Tests.Datasets;

public class CorruptInputTests
{
    static readonly string Jsonl = string.Concat(Enumerable.Range(0, 4000).Select(i => $"{{\"text\":\"document {i} {i * 7919 % 10007} {new string('w', i % 50)}\"}}\n"));

    static void WriteCompressed(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(Jsonl);
        if (path.EndsWith(".gz"))
            using (var gz = new GZipStream(File.Create(path), CompressionLevel.Optimal)) gz.Write(bytes);
        else
            File.WriteAllBytes(path, new ZstdSharp.Compressor().Wrap(bytes).ToArray());
    }

    [Theory]
    [InlineData("half.jsonl.gz")]
    [InlineData("half.jsonl.zst")]
    public void A_file_cut_in_half_stops_reading_with_file_and_offset(string name)
    {
        using var dir = new TempDir();
        var whole = dir.File("whole-" + name);
        WriteCompressed(whole);
        using (var bad = new BadRecords()) Assert.Equal(4000, RecordReader.Read(whole, bad).Count());
        var cut = dir.File(name);
        var bytes = File.ReadAllBytes(whole);
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        using var bad2 = new BadRecords();
        var e = Assert.Throws<CorruptInputException>(() => RecordReader.Read(cut, bad2).Count());
        Assert.Equal(cut, e.File);
        Assert.InRange(e.Offset, 1, bytes.Length / 2);
        Assert.Contains($"{cut}: truncated or corrupt input at byte {e.Offset}", e.Message);
        Assert.Equal(0, bad2.Total); // not one invalid_json record for the cut line: the file is refused whole
    }

    public sealed class TextRow
    {
        public string? text { get; set; }
    }

    static async Task<string> WriteParquet(TempDir dir)
    {
        var path = dir.File("t.parquet");
        var rng = new Random(5);
        var rows = Enumerable.Range(0, 3000).Select(i => new TextRow { text = $"row {i} " + string.Concat(Enumerable.Range(0, 40).Select(_ => (char)rng.Next('a', 'z'))) });
        await Parquet.Serialization.ParquetSerializer.SerializeAsync(rows, path);
        return path;
    }

    [Fact]
    public async Task A_cut_parquet_file_stops_with_file_and_offset()
    {
        using var dir = new TempDir();
        var path = await WriteParquet(dir);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        using var bad = new BadRecords();
        var e = Assert.Throws<CorruptInputException>(() => RecordReader.Read(path, bad).Count());
        Assert.Equal(path, e.File);
        Assert.Contains($"{path}: truncated or corrupt input at byte {e.Offset}: Parquet footer", e.Message);
    }

    [Fact]
    public async Task A_damaged_parquet_column_chunk_stops_with_the_chunk_offset()
    {
        using var dir = new TempDir();
        var path = await WriteParquet(dir);
        var bytes = File.ReadAllBytes(path);
        // The data pages start right after the 4-byte magic; damage the compressed page data, keep the footer intact.
        for (int i = 64; i < bytes.Length / 2; i += 7) bytes[i] ^= 0xa5;
        File.WriteAllBytes(path, bytes);
        using var bad = new BadRecords();
        var e = Assert.Throws<CorruptInputException>(() => RecordReader.Read(path, bad).Count());
        Assert.Equal(path, e.File);
        Assert.Contains("row group 0, column text", e.Message);
        Assert.InRange(e.Offset, 4, bytes.Length / 2);
    }
}
