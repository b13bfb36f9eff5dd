// One WARC record: its header fields and content block, read from a byte stream, resynchronising on the next "WARC/" line after damage.
using System.Text;

namespace Pharos.Curation.Readers;

internal sealed class WarcRecord
{
    readonly Dictionary<string, string> _headers;

    WarcRecord(long offset, Dictionary<string, string> headers, ReadOnlyMemory<byte> block, bool truncated)
    {
        Offset = offset;
        _headers = headers;
        Block = block;
        Truncated = truncated;
    }

    public long Offset { get; }
    public ReadOnlyMemory<byte> Block { get; }
    public bool Truncated { get; }

    public string? Header(string name) => _headers.GetValueOrDefault(name);

    /// <summary>
    /// The next record, or null at the end. A damaged record sets <paramref name="error"/> (with its offset) and is skipped:
    /// the reader moves on to the next line that starts a record. The block is valid until the next call.
    /// </summary>
    public static WarcRecord? ReadNext(ByteLineReader reader, out string? error, out long errorOffset)
    {
        error = null;
        errorOffset = 0;
        ReadOnlyMemory<byte> line;
        long offset;
        // Skip the blank lines between records; anything else before "WARC/" is damage.
        while (true)
        {
            if (!reader.TryReadLine(out line, out offset))
                return null;
            var span = line.Span.TrimEnd((byte)'\r');
            if (span.IsEmpty)
                continue;
            if (span.StartsWith("WARC/"u8))
                break;
            if (error is null)
            {
                error = "garbage where a WARC record should start";
                errorOffset = offset;
            }
        }
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (reader.TryReadLine(out line, out _))
        {
            var span = line.Span.TrimEnd((byte)'\r');
            if (span.IsEmpty)
                break;
            var colon = span.IndexOf((byte)':');
            if (colon > 0)
                headers[Encoding.UTF8.GetString(span[..colon]).Trim()] = Encoding.UTF8.GetString(span[(colon + 1)..]).Trim();
        }
        if (!headers.TryGetValue("Content-Length", out var lengthText) || !int.TryParse(lengthText, out var length) || length < 0)
        {
            error ??= "WARC record without a valid Content-Length";
            errorOffset = offset;
            return ReadNext(reader, out _, out _) is { } next ? next : null;
        }
        var block = reader.ReadBytes(length);
        return new WarcRecord(offset, headers, block, block.Length < length);
    }
}
