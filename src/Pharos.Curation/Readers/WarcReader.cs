// Reads WARC / WARC.gz as Common Crawl publishes it: response records → HTTP headers → charset decoding → HTML main-text extraction.
using Pharos.IO;
using System.Text;
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Readers;

public sealed class WarcReader(ReaderOptions options) : IDocumentReader
{
    readonly HtmlExtractor _extractor = new();

    public IEnumerable<Document> Read(string path, Quarantine quarantine)
    {
        using var stream = CompressedFile.OpenRead(path);
        var reader = new ByteLineReader(stream);
        var errors = new List<(long, string)>();
        while (true)
        {
            WarcRecord? record;
            try
            {
                errors.Clear();
                record = WarcRecord.ReadNext(reader, errors);
                foreach (var (offset, message) in errors)
                    quarantine.Add(path, offset, "malformed_warc", message);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or ZstdSharp.ZstdException)
            {
                quarantine.Add(path, reader.Position, "truncated_stream", e.Message);
                yield break;
            }
            if (record is null)
                yield break;
            if (record.Truncated)
            {
                quarantine.Add(path, record.Offset, "truncated_record", "record block shorter than its Content-Length");
                yield break;
            }
            if (!string.Equals(record.Header("WARC-Type"), "response", StringComparison.OrdinalIgnoreCase))
                continue;
            var doc = ToDocument(path, record, quarantine);
            if (doc is not null)
                yield return doc;
        }
    }

    Document? ToDocument(string path, WarcRecord record, Quarantine quarantine)
    {
        var http = HttpResponse.Parse(record.Block.Span);
        if (http is null)
        {
            quarantine.Add(path, record.Offset, "malformed_http", "response block has no HTTP status line and headers");
            return null;
        }
        if (http.Status is < 200 or >= 300)
            return null; // redirects and errors carry no page text.
        var contentType = http.Header("Content-Type") ?? "text/html";
        var isHtml = contentType.Contains("html", StringComparison.OrdinalIgnoreCase);
        if (!isHtml && !contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
            return null; // images, PDFs, scripts: not documents of a text corpus, not errors either.
        var body = record.Block.Span[http.BodyStart..];
        if (body.Length > options.MaxHtmlBytes)
        {
            quarantine.Add(path, record.Offset, "payload_too_large", $"{body.Length} bytes");
            return null;
        }
        var decoded = CharsetDecoder.Decode(body, CharsetDecoder.FromContentType(contentType), out var charset);
        string text;
        if (isHtml)
        {
            try
            {
                text = ExtractWithTimeLimit(decoded);
            }
            catch (TimeoutException)
            {
                quarantine.Add(path, record.Offset, "extract_timeout", $"HTML extraction took over {options.ExtractTimeout.TotalSeconds:0.###} s");
                return null;
            }
        }
        else
            text = decoded;
        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [MetadataKeys.Url] = record.Header("WARC-Target-URI"),
            [MetadataKeys.Date] = record.Header("WARC-Date"),
            ["charset"] = charset,
        };
        var id = record.Header("WARC-Record-ID")?.Trim('<', '>') ?? $"{CompressedFile.Stem(path)}@{record.Offset}";
        return new Document(text, id, metadata) { SourceFile = path, SourceOffset = record.Offset };
    }

    string ExtractWithTimeLimit(string html)
    {
        HtmlExtractor.WarmUp();
        var deadline = DateTime.UtcNow + options.ExtractTimeout;
        using var cancel = new CancellationTokenSource(options.ExtractTimeout);
        // The extractor checks the deadline itself; the wait below also bounds a parse that never reaches a check.
        // Payloads are capped (MaxHtmlBytes), so abandoned work is bounded too. A dedicated thread (LongRunning), not
        // the pool: with N workers blocked in this Wait, pool work items could queue behind them and time out for nothing.
        var work = Task.Factory.StartNew(() => _extractor.Extract(html, deadline, cancel.Token), cancel.Token,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            if (!work.Wait(options.ExtractTimeout + TimeSpan.FromMilliseconds(50)))
                throw new TimeoutException();
            return work.Result;
        }
        catch (AggregateException e) when (e.InnerException is TimeoutException or OperationCanceledException)
        {
            throw new TimeoutException();
        }
    }
}
