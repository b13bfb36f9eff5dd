// A string literal exactly as Python's json.dumps writes it (ensure_ascii on or off): used where output must match
// Python byte for byte (Jinja's tojson in chat templates, sacrebleu's JSON).
using System.Globalization;
using System.Text;

namespace Pharos.Models.Text;

public static class PythonJsonString
{
    public static string Quote(string s, bool ensureAscii = false) => Append(new StringBuilder(s.Length + 2), s, ensureAscii).ToString();

    public static StringBuilder Append(StringBuilder sb, string s, bool ensureAscii)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || (ensureAscii && c > 0x7F))
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        return sb.Append('"');
    }
}
