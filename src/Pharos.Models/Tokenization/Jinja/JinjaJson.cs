// The tojson filter as transformers defines it: Python's json.dumps(ensure_ascii=False, indent, separators, sort_keys).
using System.Globalization;
using System.Text;

namespace Pharos.Models.Tokenization.Jinja;

internal static class JinjaJson
{
    /// <summary>Without indent the separators are ", " and ": " (json.dumps defaults); with indent, "," and ": ".</summary>
    public static string Dumps(object? value, long? indent = null, bool sortKeys = false, bool ensureAscii = false,
        (string Item, string Key)? separators = null)
    {
        var sep = separators ?? (indent is null ? (", ", ": ") : (",", ": "));
        var sb = new StringBuilder();
        Write(sb, value, indent, 0, sortKeys, ensureAscii, sep.Item1, sep.Item2);
        return sb.ToString();
    }

    static void Write(StringBuilder sb, object? v, long? indent, int depth, bool sortKeys, bool ascii, string itemSep, string keySep)
    {
        switch (v)
        {
            case null or JinjaUndefined:
                sb.Append("null");
                return;
            case bool b:
                sb.Append(b ? "true" : "false");
                return;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                return;
            case double d:
                sb.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : JinjaValues.FloatRepr(d));
                return;
            case string s:
                WriteString(sb, s, ascii);
                return;
            case JinjaNamespace ns:
                Write(sb, ns.Values, indent, depth, sortKeys, ascii, itemSep, keySep);
                return;
            case List<object?> list:
                if (list.Count == 0)
                {
                    sb.Append("[]");
                    return;
                }
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                        sb.Append(itemSep);
                    NewLine(sb, indent, depth + 1);
                    Write(sb, list[i], indent, depth + 1, sortKeys, ascii, itemSep, keySep);
                }
                NewLine(sb, indent, depth);
                sb.Append(']');
                return;
            case Dictionary<string, object?> dict:
                if (dict.Count == 0)
                {
                    sb.Append("{}");
                    return;
                }
                sb.Append('{');
                var first = true;
                IEnumerable<KeyValuePair<string, object?>> entries = sortKeys ? dict.OrderBy(kv => kv.Key, StringComparer.Ordinal) : dict;
                foreach (var (key, value) in entries)
                {
                    if (!first)
                        sb.Append(itemSep);
                    first = false;
                    NewLine(sb, indent, depth + 1);
                    WriteString(sb, key, ascii);
                    sb.Append(keySep);
                    Write(sb, value, indent, depth + 1, sortKeys, ascii, itemSep, keySep);
                }
                NewLine(sb, indent, depth);
                sb.Append('}');
                return;
            default:
                throw new JinjaException($"Object of type {JinjaValues.TypeName(v)} is not JSON serializable", 0);
        }
    }

    static void NewLine(StringBuilder sb, long? indent, int depth)
    {
        if (indent is { } n)
            sb.Append('\n').Append(' ', (int)(n * depth));
    }

    static void WriteString(StringBuilder sb, string s, bool ascii) => Pharos.Models.Text.PythonJsonString.Append(sb, s, ascii);
}
