// Decodes an HTTP payload to text: BOM, then the HTTP charset, then a <meta> charset, then UTF-8 if valid, else windows-1252 (what browsers assume).
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Pharos.Curation.Readers;

public static partial class CharsetDecoder
{
    static CharsetDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [GeneratedRegex(@"charset\s*=\s*[""']?\s*([A-Za-z0-9_.:\-]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CharsetParameter();

    /// <summary>The charset named in a Content-Type value, or null.</summary>
    public static string? FromContentType(string? contentType)
    {
        if (contentType is null)
            return null;
        var m = CharsetParameter().Match(contentType);
        return m.Success ? m.Groups[1].Value : null;
    }

    public static string Decode(ReadOnlySpan<byte> body, string? httpCharset, out string usedCharset)
    {
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) { usedCharset = "utf-8"; return Encoding.UTF8.GetString(body[3..]); }
        if (body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) { usedCharset = "utf-16le"; return Encoding.Unicode.GetString(body[2..]); }
        if (body.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) { usedCharset = "utf-16be"; return Encoding.BigEndianUnicode.GetString(body[2..]); }
        var declared = Resolve(httpCharset) ?? Resolve(FromMeta(body));
        // A page that declares latin-1 but is valid UTF-8 with non-ASCII bytes is nearly always UTF-8 mislabelled.
        if (declared is not null && !(declared.CodePage is 28591 or 1252 && IsUtf8WithNonAscii(body)))
        {
            usedCharset = declared.WebName;
            return declared.GetString(body);
        }
        if (Utf8.IsValid(body)) { usedCharset = "utf-8"; return Encoding.UTF8.GetString(body); }
        usedCharset = "windows-1252";
        return Encoding.GetEncoding(1252).GetString(body);
    }

    static string? FromMeta(ReadOnlySpan<byte> body)
    {
        // Browsers look for the <meta> declaration in the first 1024 bytes; we allow a little more for long heads.
        var head = Encoding.Latin1.GetString(body[..Math.Min(body.Length, 4096)]);
        var i = head.IndexOf("<meta", StringComparison.OrdinalIgnoreCase);
        while (i >= 0)
        {
            var end = head.IndexOf('>', i);
            if (end < 0)
                break;
            var tag = head[i..end];
            var m = CharsetParameter().Match(tag);
            if (m.Success)
                return m.Groups[1].Value;
            i = head.IndexOf("<meta", end, StringComparison.OrdinalIgnoreCase);
        }
        return null;
    }

    static Encoding? Resolve(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return null;
        try
        {
            var e = Encoding.GetEncoding(name.Trim().ToLowerInvariant() switch
            {
                // WHATWG maps these labels to windows-1252 and gb18030; follow the web, not the IANA names.
                "iso-8859-1" or "latin1" or "ascii" or "us-ascii" => "windows-1252",
                "gb2312" or "gbk" => "gb18030",
                var other => other,
            });
            return e;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    static bool IsUtf8WithNonAscii(ReadOnlySpan<byte> body) => !Ascii.IsValid(body) && Utf8.IsValid(body);
}
