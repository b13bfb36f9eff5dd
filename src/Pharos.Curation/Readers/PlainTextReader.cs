// Reads plain text files (optionally compressed): the whole file as one document, or one document per non-empty line.
using Pharos.IO;
using System.Text;
using System.Text.Unicode;
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Readers;

public sealed class PlainTextReader(ReaderOptions options) : IDocumentReader
{
    static readonly UTF8Encoding Strict = new(false, true);

    public IEnumerable<Document> Read(string path, Quarantine quarantine)
    {
        using var stream = CompressedFile.OpenRead(path);
        var stem = CompressedFile.Stem(path);
        if (!options.TextPerLine)
        {
            string? text = null;
            try
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                text = Strict.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
            catch (DecoderFallbackException e) { quarantine.Add(path, 0, "invalid_utf8", e.Message); }
            catch (Exception e) when (e is InvalidDataException or IOException or ZstdSharp.ZstdException) { quarantine.Add(path, 0, "truncated_stream", e.Message); }
            if (text is not null)
                yield return new Document(text, stem) { SourceFile = path };
            yield break;
        }
        var lines = new ByteLineReader(stream);
        var index = 0;
        while (true)
        {
            ReadOnlyMemory<byte> line;
            long offset;
            try
            {
                if (!lines.TryReadLine(out line, out offset))
                    yield break;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or ZstdSharp.ZstdException)
            {
                quarantine.Add(path, lines.Position, "truncated_stream", e.Message);
                yield break;
            }
            var span = line.Span.TrimEnd((byte)'\r');
            if (span.Trim(" \t"u8).IsEmpty)
                continue;
            if (!Utf8.IsValid(span))
            {
                quarantine.Add(path, offset, "invalid_utf8", "line is not valid UTF-8");
                continue;
            }
            yield return new Document(Encoding.UTF8.GetString(span), $"{stem}/{index++}") { SourceFile = path, SourceOffset = offset };
        }
    }
}
