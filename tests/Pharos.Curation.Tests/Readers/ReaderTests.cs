// Readers and writers: formats round-trip; bad records are quarantined with file and byte offset and reading goes on.
using System.IO.Compression;
using System.Text;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Readers;
using Pharos.Curation.Writers;
using Pharos.Tests;

namespace Pharos.Curation.Tests.Readers;

public sealed class ReaderTests
{
    static readonly ReaderOptions Options = new();

    static List<Document> ReadAll(string path, Quarantine q, ReaderOptions? o = null) => [.. ReaderFactory.For(path, "auto", o ?? Options).Read(path, q)];

    [Theory]
    [InlineData("docs.jsonl")]
    [InlineData("docs.jsonl.gz")]
    [InlineData("docs.jsonl.zst")]
    [InlineData("docs.parquet")]
    public void WrittenShardsReadBack(string name)
    {
        using var dir = new TempDir();
        var path = dir.File(name);
        var format = name.EndsWith(".parquet") ? "parquet" : name["docs.".Length..];
        using (var w = WriterFactory.Create(path[..^("." + format).Length], format))
        {
            for (var i = 0; i < 25; i++)
                w.Write(new Document($"text {i} é 😀\nline", $"id{i}", new() { ["language"] = "fr", ["n"] = (long)i, ["score"] = 0.5 }));
            Assert.False(File.Exists(path)); // invisible until committed
            w.Commit();
        }
        var q = new Quarantine();
        var docs = ReadAll(path, q);
        Assert.True(q.Count == 0, string.Join("; ", q.Records.Select(r => $"{r.Code}: {r.Message}")));
        Assert.Equal(25, docs.Count);
        Assert.Equal("text 3 é 😀\nline", docs[3].Text);
        Assert.Equal("id3", docs[3].Id);
        Assert.Equal("fr", docs[3].Language);
        Assert.Equal(3L, docs[3].Metadata["n"]);
        Assert.Equal(0.5, docs[3].GetDouble("score"));
    }

    [Fact]
    public void UncommittedWriterLeavesNothing()
    {
        using var dir = new TempDir();
        using (var w = new JsonlWriter(dir.File("a.jsonl.zst")))
            w.Write(new Document("x", "1"));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void BadJsonLinesAreQuarantinedWithOffsets()
    {
        using var dir = new TempDir();
        var path = dir.File("bad.jsonl");
        var good = "{\"text\":\"ok\",\"id\":\"a\"}\n";
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes(good));
        var badJsonOffset = bytes.Count;
        bytes.AddRange(Encoding.UTF8.GetBytes("{\"text\": oops}\n"));
        var badUtfOffset = bytes.Count;
        bytes.AddRange([.. Encoding.UTF8.GetBytes("{\"text\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}\n")]);
        var noTextOffset = bytes.Count;
        bytes.AddRange(Encoding.UTF8.GetBytes("{\"content\":\"x\"}\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes(good.Replace("\"a\"", "\"b\"")));
        File.WriteAllBytes(path, [.. bytes]);
        var q = new Quarantine();
        var docs = ReadAll(path, q);
        Assert.Equal(["a", "b"], docs.Select(d => d.Id));
        Assert.Equal([("invalid_json", (long)badJsonOffset), ("invalid_utf8", badUtfOffset), ("missing_text", noTextOffset)],
            q.Records.Select(r => (r.Code, r.Offset)));
        Assert.All(q.Records, r => Assert.Equal(path, r.File));
    }

    [Theory]
    [InlineData("t.jsonl.gz")]
    [InlineData("t.jsonl.zst")]
    public void TruncatedCompressedStreamKeepsWhatWasRead(string name)
    {
        using var dir = new TempDir();
        var full = dir.File("full-" + name);
        using (var w = new JsonlWriter(full))
        {
            var rng = new Random(3);
            for (var i = 0; i < 2000; i++)
                w.Write(new Document(string.Concat(Enumerable.Range(0, 50).Select(_ => (char)rng.Next('a', 'z'))), $"d{i}"));
            w.Commit();
        }
        var bytes = File.ReadAllBytes(full);
        var cut = dir.File(name);
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var q = new Quarantine();
        var docs = ReadAll(cut, q);
        Assert.InRange(docs.Count, 1, 1999);
        var record = Assert.Single(q.Records);
        Assert.Equal("truncated_stream", record.Code);
        Assert.True(record.Offset > 0);
    }

    [Fact]
    public void PlainTextPerFileAndPerLine()
    {
        using var dir = new TempDir();
        var path = dir.File("a.txt");
        File.WriteAllText(path, "first line\n\nsecond line\n");
        Assert.Single(ReadAll(path, new Quarantine()));
        var lines = ReadAll(path, new Quarantine(), new ReaderOptions { TextPerLine = true });
        Assert.Equal(["first line", "second line"], lines.Select(d => d.Text));
    }

    [Fact]
    public void WarcGzResponsesAreDecodedAndExtracted()
    {
        using var dir = new TempDir();
        var path = dir.File("cc.warc.gz");
        var html1252 = Encoding.GetEncoding(1252).GetBytes(
            "<html><head><meta charset=\"windows-1252\"><title>t</title><script>var x=1;</script></head><body>" +
            "<nav><a href=/>Home</a> <a href=/a>About</a></nav><div class=\"cookie-banner\">We use cookies to improve things.</div>" +
            "<main><h1>Café crème</h1><p>Le café est une boisson préparée à partir de grains torréfiés.</p>" +
            "<table><tr><td>cell one</td></tr></table><p>Elle est consommée dans le monde entier depuis des siècles.</p></main>" +
            "<footer>Copyright 2024 Example footer text here</footer></body></html>");
        var utf8Body = Encoding.UTF8.GetBytes("<html><body><p>Русский текст о погоде и природе в горах.</p></body></html>");
        WriteWarcGz(path, [
            Record("warcinfo", "", "software: test\r\n"u8.ToArray()),
            Record("request", "http://a.example/", "GET / HTTP/1.1\r\n\r\n"u8.ToArray()),
            Record("response", "http://a.example/", [.. "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"u8.ToArray(), .. html1252]),
            Record("response", "http://b.example/", [.. "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n"u8.ToArray(), .. utf8Body]),
            Record("response", "http://c.example/img.png", [.. "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n"u8.ToArray(), 0x89, 0x50]),
            Record("response", "http://d.example/", [.. "HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n"u8.ToArray()]),
        ]);
        var q = new Quarantine();
        var docs = ReadAll(path, q);
        Assert.Equal(0, q.Count);
        Assert.Equal(2, docs.Count);
        Assert.Equal("Café crème\nLe café est une boisson préparée à partir de grains torréfiés.\nElle est consommée dans le monde entier depuis des siècles.", docs[0].Text);
        Assert.Equal("http://a.example/", docs[0].Metadata[MetadataKeys.Url]);
        Assert.Equal("windows-1252", docs[0].Metadata["charset"]);
        Assert.StartsWith("urn:uuid:", docs[0].Id);
        Assert.Equal("Русский текст о погоде и природе в горах.", docs[1].Text);
    }

    [Fact]
    public void MalformedWarcRecordsAreQuarantinedAndReadingResumes()
    {
        using var dir = new TempDir();
        var path = dir.File("bad.warc");
        var ok = Record("response", "http://ok.example/", [.. "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>A perfectly normal paragraph of text.</p>"u8.ToArray()]);
        var noLength = Encoding.ASCII.GetBytes("WARC/1.0\r\nWARC-Type: response\r\n\r\nbody without length\r\n\r\n");
        var garbage = Encoding.ASCII.GetBytes("this is not a warc record\r\n");
        var noHttp = Record("response", "http://x.example/", "no status line here"u8.ToArray());
        File.WriteAllBytes(path, [.. ok, .. garbage, .. noLength, .. noHttp, .. ok]);
        var q = new Quarantine();
        var docs = ReadAll(path, q);
        Assert.Equal(2, docs.Count);
        Assert.Equal(["malformed_warc", "malformed_warc", "malformed_http"], q.Records.Select(r => r.Code));
        Assert.Equal(ok.Length, q.Records[0].Offset);
    }

    [Fact]
    public void ExtractorTimeLimitQuarantinesTheDocument()
    {
        using var dir = new TempDir();
        var path = dir.File("slow.warc");
        var deep = "<html><body>" + string.Concat(Enumerable.Repeat("<div><p>word word word word word</p>", 60_000)) + "</body></html>";
        File.WriteAllBytes(path, Record("response", "http://slow.example/", [.. "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"u8.ToArray(), .. Encoding.UTF8.GetBytes(deep)]));
        var q = new Quarantine();
        var started = DateTime.UtcNow;
        var docs = ReadAll(path, q, new ReaderOptions { ExtractTimeout = TimeSpan.FromMilliseconds(20) });
        Assert.Empty(docs);
        Assert.Equal("extract_timeout", Assert.Single(q.Records).Code);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    static byte[] Record(string type, string uri, byte[] block)
    {
        var header = $"WARC/1.0\r\nWARC-Type: {type}\r\nWARC-Record-ID: <urn:uuid:{Guid.NewGuid()}>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n" +
                     (uri.Length > 0 ? $"WARC-Target-URI: {uri}\r\n" : "") +
                     (type == "response" ? "Content-Type: application/http; msgtype=response\r\n" : "") +
                     $"Content-Length: {block.Length}\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(header), .. block, .. "\r\n\r\n"u8.ToArray()];
    }

    // Common Crawl style: one gzip member per record.
    static void WriteWarcGz(string path, IEnumerable<byte[]> records)
    {
        using var file = File.Create(path);
        foreach (var r in records)
        {
            using var gz = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true);
            gz.Write(r);
        }
    }

    static ReaderTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
}
