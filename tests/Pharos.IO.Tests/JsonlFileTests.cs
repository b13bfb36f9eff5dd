// The one JSONL reader: lines with numbers and offsets in plain/.gz/.zst, and cut or damaged compressed files that stop with
// the file and the byte offset instead of ending quietly.
using System.IO.Compression;
using System.Text;
using Pharos.IO;
using Pharos.Tests;

namespace Pharos.IO.Tests;

public class JsonlFileTests
{
    static readonly string Jsonl = string.Concat(Enumerable.Range(0, 3000).Select(i => $"{{\"text\": \"record {i} {new string('x', i % 97)} {i * 7919 % 10007}\"}}\n"));

    static byte[] Gzip(string text)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(Encoding.UTF8.GetBytes(text));
        return ms.ToArray();
    }

    static byte[] Zstd(string text)
    {
        var ms = new MemoryStream();
        using (var z = new ZstdSharp.CompressionStream(ms, 3, leaveOpen: true)) z.Write(Encoding.UTF8.GetBytes(text));
        return ms.ToArray();
    }

    static byte[] Compress(string name, string text) => name.EndsWith(".gz") ? Gzip(text) : Zstd(text);

    [Fact]
    public void LinesCarryNumbersAndOffsetsAndSkipBlanks()
    {
        using var dir = new TempDir();
        var path = dir.File("a.jsonl");
        File.WriteAllText(path, "{\"a\":1}\n\n  \n{\"b\":2}\r\n{\"c\":3}");
        var lines = JsonlFile.ReadLines(path).Select(l => (l.Number, l.Offset, Encoding.UTF8.GetString(l.Bytes.Span))).ToList();
        Assert.Equal([(1L, 0L, "{\"a\":1}"), (4L, 12L, "{\"b\":2}\r"), (5L, 21L, "{\"c\":3}")], lines);
    }

    [Theory]
    [InlineData("d.jsonl.gz")]
    [InlineData("d.jsonl.zst")]
    public void IntactCompressedFilesReadWhole(string name)
    {
        using var dir = new TempDir();
        var path = dir.File(name);
        File.WriteAllBytes(path, Compress(name, Jsonl));
        Assert.Equal(3000, JsonlFile.ReadLines(path).Count());
    }

    [Fact]
    public void ConcatenatedGzipMembersReadAsOneStream()
    {
        using var dir = new TempDir();
        var path = dir.File("two.jsonl.gz");
        File.WriteAllBytes(path, [.. Gzip(Jsonl), .. Gzip(Jsonl)]);
        Assert.Equal(6000, JsonlFile.ReadLines(path).Count());
    }

    [Theory]
    [InlineData("cut.jsonl.gz", 0.5)]
    [InlineData("cut.jsonl.gz", 0.999)]
    [InlineData("cut.jsonl.zst", 0.5)]
    [InlineData("cut.jsonl.zst", 0.999)]
    public void CutCompressedFileThrowsWithFileAndOffset(string name, double keep)
    {
        using var dir = new TempDir();
        var path = dir.File(name);
        var whole = Compress(name, Jsonl);
        int length = (int)(whole.Length * keep);
        File.WriteAllBytes(path, whole[..length]);
        var e = Assert.Throws<CorruptInputException>(() => JsonlFile.ReadLines(path).Count());
        Assert.Equal(path, e.File);
        Assert.InRange(e.Offset, 1, length);
        Assert.StartsWith($"{path}: truncated or corrupt input at byte {e.Offset}", e.Message);
    }

    [Theory]
    [InlineData("bad.jsonl.gz")]
    [InlineData("bad.jsonl.zst")]
    public void DamagedCompressedFileThrows(string name)
    {
        using var dir = new TempDir();
        var path = dir.File(name);
        var bytes = Compress(name, Jsonl);
        // Flip bits in the middle of the compressed data: a bad block, or a checksum that no longer matches.
        for (int i = bytes.Length / 2; i < bytes.Length / 2 + 16; i++) bytes[i] ^= 0x5a;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CorruptInputException>(() => JsonlFile.ReadLines(path).Count());
        Assert.Equal(path, e.File);
    }
}
