// One WARC record: its header fields and content block, read from a byte stream, resynchronising on the next "WARC/" line after damage.
using Pharos.IO;
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
    /// The next record, or null at the end. A damaged record is added to <paramref name="errors"/> (with its offset) and skipped:
    /// the reader moves on to the next line that starts a record. The block is valid until the next call.
    /// </summary>
    const string Garbage = "garbage where a WARC record should start";

    public static WarcRecord? ReadNext(ByteLineReader reader, List<(long Offset, string Message)> errors)
    {
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
            // One error per damaged stretch: the body of a record rejected for its length is not reported again as garbage.
            if (errors.Count == 0)
                errors.Add((offset, Garbage));
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
            errors.Add((offset, "WARC record without a valid Content-Length"));
            return ReadNext(reader, errors);
        }
        var block = reader.ReadBytes(length);
        return new WarcRecord(offset, headers, block, block.Length < length);
    }
}
