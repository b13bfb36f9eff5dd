// The HTTP status line and headers at the start of a WARC response block, and where the body starts.
using System.Text;

namespace Pharos.Curation.Readers;

internal sealed class HttpResponse
{
    readonly Dictionary<string, string> _headers;

    HttpResponse(int status, Dictionary<string, string> headers, int bodyStart)
    {
        Status = status;
        _headers = headers;
        BodyStart = bodyStart;
    }

    public int Status { get; }
    public int BodyStart { get; }

    public string? Header(string name) => _headers.GetValueOrDefault(name);

    public static HttpResponse? Parse(ReadOnlySpan<byte> block)
    {
        if (!block.StartsWith("HTTP/"u8))
            return null;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int position = 0, status = 0;
        var first = true;
        while (position < block.Length)
        {
            var nl = block[position..].IndexOf((byte)'\n');
            if (nl < 0)
                return null; // headers never end: not a usable response.
            var line = block.Slice(position, nl).TrimEnd((byte)'\r');
            position += nl + 1;
            if (line.IsEmpty)
                return new HttpResponse(status, headers, position);
            var text = Encoding.Latin1.GetString(line);
            if (first)
            {
                var parts = text.Split(' ', 3);
                if (parts.Length < 2 || !int.TryParse(parts[1], out status))
                    return null;
                first = false;
                continue;
            }
            var colon = text.IndexOf(':');
            if (colon > 0)
                headers[text[..colon].Trim()] = text[(colon + 1)..].Trim();
        }
        return new HttpResponse(status, headers, block.Length);
    }
}
