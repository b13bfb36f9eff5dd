// Writes JSON string literals byte-for-byte as serde_json (safetensors headers) and Python's json.dumps (index files) do.
using System.Globalization;
using System.Text;

namespace Pharos.Models.Safetensors;

internal static class JsonText
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>serde_json: escape quote, backslash and control characters; everything else (non-ASCII, DEL) raw.</summary>
    public static void AppendSerde(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            if (!AppendCommonEscape(sb, c))
            {
                if (c < 0x20) sb.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
        }
        sb.Append('"');
    }

    /// <summary>Python json.dumps with ensure_ascii=True: anything outside space..'~' becomes \uXXXX (surrogate pairs split).</summary>
    public static void AppendPythonAscii(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            if (!AppendCommonEscape(sb, c))
            {
                if (c < 0x20 || c > 0x7E) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
        }
        sb.Append('"');
    }

    static bool AppendCommonEscape(StringBuilder sb, char c)
    {
        var escape = c switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => null,
        };
        if (escape is null) return false;
        sb.Append(escape);
        return true;
    }

    /// <summary>Throws unless the string is well-formed UTF-16 (no lone surrogates), so it has an exact UTF-8 form.</summary>
    public static void RequireValidUnicode(string s, string what)
    {
        try
        {
            StrictUtf8.GetByteCount(s);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"{what} \"{s}\" is not valid Unicode (it has a lone surrogate)", e);
        }
    }
}
