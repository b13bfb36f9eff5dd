// Python semantics for template values: truthiness, str(), repr(), ==, ordering, len and conversion of .NET inputs.
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pharos.Models.Tokenization.Jinja;

/// <summary>
/// Values are null (None), bool, long, double, string, List&lt;object?&gt; (list and tuple), Dictionary&lt;string, object?&gt;
/// (dict, insertion-ordered), JinjaNamespace, JinjaLoop, JinjaCallable or JinjaUndefined.
/// </summary>
internal static class JinjaValues
{
    /// <summary>Converts caller-supplied .NET values (ints, records of lists and dictionaries, JSON nodes) to template values.</summary>
    public static object? FromClr(object? value) => value switch
    {
        null => null,
        string or bool or long or double or JinjaUndefined or JinjaNamespace or JinjaCallable => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        uint u => (long)u,
        float f => (double)f,
        decimal m => (double)m,
        JsonElement e => FromJson(e),
        JsonNode n => FromJson(JsonSerializer.SerializeToElement(n)),
        IDictionary<string, object?> d => d.ToDictionary(kv => kv.Key, kv => FromClr(kv.Value), StringComparer.Ordinal),
        IReadOnlyDictionary<string, object?> d => d.ToDictionary(kv => kv.Key, kv => FromClr(kv.Value), StringComparer.Ordinal),
        IDictionary d => d.Keys.Cast<object>().ToDictionary(k => Str(k), k => FromClr(d[k]), StringComparer.Ordinal),
        IEnumerable e => e.Cast<object?>().Select(FromClr).ToList(),
        ChatMessage m => new Dictionary<string, object?>(StringComparer.Ordinal) { ["role"] = m.Role, ["content"] = m.Content },
        _ => value.ToString(),
    };

    static object? FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? (object)l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => e.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
        _ => null,
    };

    public static bool Truthy(object? v) => v switch
    {
        null or JinjaUndefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        ICollection c => c.Count > 0,
        _ => true,
    };

    /// <summary>Python's str(): what {{ }} prints.</summary>
    public static string Str(object? v) => v switch
    {
        string s => s,
        null => "None",
        JinjaUndefined => "",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FloatRepr(d),
        _ => Repr(v),
    };

    /// <summary>Python's repr(), used inside printed lists and dicts.</summary>
    public static string Repr(object? v)
    {
        switch (v)
        {
            case string s:
                var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
                var sb = new StringBuilder().Append(quote);
                foreach (var c in s)
                    sb.Append(c switch
                    {
                        '\\' => "\\\\",
                        '\n' => "\\n",
                        '\r' => "\\r",
                        '\t' => "\\t",
                        _ when c == quote => "\\" + c,
                        _ when c < 0x20 || c == 0x7F => $"\\x{(int)c:x2}",
                        _ => c.ToString(),
                    });
                return sb.Append(quote).ToString();
            case JinjaTuple tuple:
                return tuple.Count == 1 ? "(" + Repr(tuple[0]) + ",)" : "(" + string.Join(", ", tuple.Select(Repr)) + ")";
            case List<object?> list:
                return "[" + string.Join(", ", list.Select(Repr)) + "]";
            case Dictionary<string, object?> dict:
                return "{" + string.Join(", ", dict.Select(kv => Repr(kv.Key) + ": " + Repr(kv.Value))) + "}";
            case JinjaNamespace ns:
                return "<Namespace " + Repr(ns.Values) + ">";
            case JinjaCallable:
                return "<function>";
            default:
                return Str(v);
        }
    }

    /// <summary>Python's float repr: shortest round-trip digits, ".0" on integral values, exponent outside 1e-4 ≤ |x| &lt; 1e16.</summary>
    public static string FloatRepr(double d)
    {
        if (double.IsNaN(d))
            return "nan";
        if (double.IsInfinity(d))
            return d > 0 ? "inf" : "-inf";
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var abs = Math.Abs(d);
        if (abs != 0 && (abs >= 1e16 || abs < 1e-4))
        {
            var e = d.ToString("E16", CultureInfo.InvariantCulture);
            // Rebuild from the shortest digits: mantissa digits of R, decimal exponent from E16.
            var exp = int.Parse(e[(e.IndexOf('E') + 1)..], CultureInfo.InvariantCulture);
            var digits = r.Replace("-", "").Replace(".", "");
            var eIdx = digits.IndexOf('E');
            if (eIdx >= 0)
                digits = digits[..eIdx];
            digits = digits.TrimStart('0').TrimEnd('0');
            if (digits.Length == 0)
                digits = "0";
            var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            return (d < 0 ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
        }
        if (r.Contains('E'))
            r = d.ToString("F0", CultureInfo.InvariantCulture);
        return r.Contains('.') ? r : r + ".0";
    }

    public static bool PyEquals(object? a, object? b)
    {
        if (IsNumber(a) && IsNumber(b))
            return ToDouble(a) == ToDouble(b);
        return (a, b) switch
        {
            (null, null) => true,
            (JinjaUndefined, JinjaUndefined) => true,
            (string x, string y) => x == y,
            (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => PyEquals(p.First, p.Second)),
            (Dictionary<string, object?> x, Dictionary<string, object?> y) =>
                x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var v) && PyEquals(kv.Value, v)),
            _ => ReferenceEquals(a, b),
        };
    }

    public static int Compare(object? a, object? b, int line)
    {
        if (IsNumber(a) && IsNumber(b))
            return ToDouble(a).CompareTo(ToDouble(b));
        if (a is string x && b is string y)
            return string.CompareOrdinal(x, y);
        if (a is List<object?> la && b is List<object?> lb)
        {
            for (var i = 0; i < Math.Min(la.Count, lb.Count); i++)
            {
                var c = Compare(la[i], lb[i], line);
                if (c != 0)
                    return c;
            }
            return la.Count.CompareTo(lb.Count);
        }
        throw new JinjaException($"cannot compare {TypeName(a)} with {TypeName(b)}", line);
    }

    public static bool IsNumber(object? v) => v is long or double or bool;

    public static double ToDouble(object? v) => v switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new InvalidCastException(),
    };

    public static string TypeName(object? v) => v switch
    {
        null => "NoneType",
        JinjaUndefined => "undefined",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        JinjaTuple => "tuple",
        List<object?> => "list",
        Dictionary<string, object?> => "dict",
        JinjaNamespace => "Namespace",
        _ => "object",
    };

    /// <summary>Python len(): code points for strings.</summary>
    public static long Length(object? v, int line) => v switch
    {
        string s => CodePoints(s).Length,
        List<object?> l => l.Count,
        Dictionary<string, object?> d => d.Count,
        JinjaUndefined => 0,
        _ => throw new JinjaException($"object of type '{TypeName(v)}' has no len()", line),
    };

    /// <summary>A string as code points, so indexing and slicing match Python on text outside the BMP.</summary>
    public static string[] CodePoints(string s)
    {
        if (s.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
            return s.Select(c => c.ToString()).ToArray();
        var result = new List<string>(s.Length);
        for (var i = 0; i < s.Length; i++)
            result.Add(char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? s.Substring(i++, 2) : s[i].ToString());
        return result.ToArray();
    }

    /// <summary>Items to loop over: list items, dict keys, string characters.</summary>
    public static List<object?> Iterate(object? v, int line) => v switch
    {
        List<object?> l => l,
        Dictionary<string, object?> d => d.Keys.Cast<object?>().ToList(),
        string s => CodePoints(s).Cast<object?>().ToList(),
        JinjaUndefined or null => v is null ? throw new JinjaException("'NoneType' object is not iterable", line) : [],
        _ => throw new JinjaException($"'{TypeName(v)}' object is not iterable", line),
    };
}
