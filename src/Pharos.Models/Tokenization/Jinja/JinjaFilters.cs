// The filters chat templates use (value | name(args)): trim, length, tojson, join, default, map, selectattr, … as Jinja defines them.
using System.Globalization;

namespace Pharos.Models.Tokenization.Jinja;

internal static class JinjaFilters
{
    public static object? Apply(string name, object? value, JinjaArgs a, Func<string, object?, JinjaArgs, bool> test)
    {
        switch (name)
        {
            case "trim":
                return a.String(0, "chars") is { } chars ? Str(value).Trim(chars.ToCharArray()) : Str(value).Trim(PyWhitespace);
            case "length" or "count":
                return JinjaValues.Length(value, a.Line);
            case "tojson":
            {
                // transformers' tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False), positions included.
                (string, string)? separators = a.Get(2, "separators") is List<object?> { Count: 2 } sep
                    ? (JinjaValues.Str(sep[0]), JinjaValues.Str(sep[1])) : null;
                return JinjaJson.Dumps(value, a.Int(1, "indent"), a.Bool(3, "sort_keys"), a.Bool(0, "ensure_ascii"), separators);
            }
            case "upper":
                return Str(value).ToUpperInvariant();
            case "lower":
                return Str(value).ToLowerInvariant();
            case "capitalize":
                var s = Str(value);
                return s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();
            case "title":
                return CultureInfo.InvariantCulture.TextInfo.ToTitleCase(Str(value).ToLowerInvariant());
            case "default" or "d":
                var useDefault = value is JinjaUndefined || (a.Bool(1, "boolean") && !JinjaValues.Truthy(value));
                return useDefault ? a.Get(0, "default_value", "") : value;
            case "join":
            {
                var items = JinjaValues.Iterate(value, a.Line);
                var attribute = a.String(1, "attribute");
                return string.Join(a.String(0, "d", "") ?? "", items.Select(i => Str(attribute is null ? i : JinjaMethods.GetAttribute(i, attribute))));
            }
            case "first":
            {
                var items = JinjaValues.Iterate(value, a.Line);
                return items.Count > 0 ? items[0] : JinjaUndefined.Instance;
            }
            case "last":
            {
                var items = JinjaValues.Iterate(value, a.Line);
                return items.Count > 0 ? items[^1] : JinjaUndefined.Instance;
            }
            case "string":
                return Str(value);
            case "int":
                return value switch
                {
                    long l => l,
                    double d => (long)Math.Truncate(d),
                    bool b => b ? 1L : 0L,
                    string str when long.TryParse(str.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
                    string str when double.TryParse(str.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => (long)Math.Truncate(d),
                    _ => a.Int(0, "default", 0),
                };
            case "float":
                return value switch
                {
                    long or double or bool => JinjaValues.ToDouble(value),
                    string str when double.TryParse(str.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
                    _ => 0.0,
                };
            case "abs":
                return value is long al ? (object)Math.Abs(al) : Math.Abs(JinjaValues.ToDouble(value));
            case "round":
            {
                var digits = (int)(a.Int(0, "precision", 0) ?? 0);
                var method = a.String(1, "method", "common");
                var d = JinjaValues.ToDouble(value);
                return method switch
                {
                    "ceil" => Math.Ceiling(d * Math.Pow(10, digits)) / Math.Pow(10, digits),
                    "floor" => Math.Floor(d * Math.Pow(10, digits)) / Math.Pow(10, digits),
                    _ => Math.Round(d, digits, MidpointRounding.AwayFromZero),
                };
            }
            case "items":
                return value is Dictionary<string, object?> dict
                    ? dict.Select(kv => (object?)new JinjaTuple([kv.Key, kv.Value])).ToList()
                    : value is JinjaUndefined ? new List<object?>() : throw a.Error($"expected a mapping, got {JinjaValues.TypeName(value)}");
            case "dictsort":
                return value is Dictionary<string, object?> ds
                    ? ds.OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase).Select(kv => (object?)new JinjaTuple([kv.Key, kv.Value])).ToList()
                    : throw a.Error($"expected a mapping, got {JinjaValues.TypeName(value)}");
            case "list":
                return JinjaValues.Iterate(value, a.Line).ToList();
            case "reverse":
                return value is string rs ? string.Concat(JinjaValues.CodePoints(rs).Reverse()) : JinjaValues.Iterate(value, a.Line).AsEnumerable().Reverse().ToList();
            case "sort":
            {
                var attribute = a.String(2, "attribute");
                var items = JinjaValues.Iterate(value, a.Line).ToList();
                var line = a.Line;
                items.Sort((x, y) => JinjaValues.Compare(Key(x, attribute), Key(y, attribute), line));
                if (a.Bool(0, "reverse"))
                    items.Reverse();
                return items;
            }
            case "unique":
            {
                var result = new List<object?>();
                foreach (var item in JinjaValues.Iterate(value, a.Line))
                    if (!result.Any(r => JinjaValues.PyEquals(r, item)))
                        result.Add(item);
                return result;
            }
            case "min" or "max":
            {
                var items = JinjaValues.Iterate(value, a.Line);
                if (items.Count == 0)
                    return JinjaUndefined.Instance;
                var line = a.Line;
                var best = items[0];
                foreach (var item in items.Skip(1))
                {
                    var c = JinjaValues.Compare(item, best, line);
                    if (name == "min" ? c < 0 : c > 0)
                        best = item;
                }
                return best;
            }
            case "sum":
            {
                object? total = 0L;
                foreach (var item in JinjaValues.Iterate(value, a.Line))
                    total = total is long t && item is long i ? (object)(t + i) : JinjaValues.ToDouble(total) + JinjaValues.ToDouble(item);
                return total;
            }
            case "replace":
            {
                var old = a.String(0, "old") ?? "";
                var replacement = a.String(1, "new") ?? "";
                return JinjaMethods.Replace(Str(value), old, replacement, a.Int(2, "count"));
            }
            case "indent":
            {
                var width = a.Get(0, "width", 4L) is string w ? w : new string(' ', (int)(a.Int(0, "width", 4) ?? 4));
                var lines = Str(value).Split('\n');
                for (var i = 0; i < lines.Length; i++)
                    if ((i > 0 || a.Bool(1, "first")) && (lines[i].Length > 0 || a.Bool(2, "blank")))
                        lines[i] = width + lines[i];
                return string.Join('\n', lines);
            }
            case "map":
            {
                var items = JinjaValues.Iterate(value, a.Line);
                if (a.String(99, "attribute") is { } attr)
                    return items.Select(i => JinjaMethods.GetAttribute(i, attr)).ToList();
                var filter = a.String(0, "filter") ?? throw a.Error("map needs a filter name or attribute=");
                return items.Select(i => Apply(filter, i, new JinjaArgs(filter, [], [], a.Line), test)).ToList();
            }
            case "select" or "reject":
            {
                var testName = a.String(0, "test");
                var keep = name == "select";
                return JinjaValues.Iterate(value, a.Line)
                    .Where(i => (testName is null ? JinjaValues.Truthy(i) : test(testName, i, Rest(a, 1))) == keep).ToList();
            }
            case "selectattr" or "rejectattr":
            {
                var attr = a.String(0, "attribute") ?? throw a.Error($"{name} needs an attribute name");
                var testName = a.String(1, "test");
                var keep = name == "selectattr";
                return JinjaValues.Iterate(value, a.Line)
                    .Where(i =>
                    {
                        var v = JinjaMethods.GetAttribute(i, attr);
                        return (testName is null ? JinjaValues.Truthy(v) : test(testName, v, Rest(a, 2))) == keep;
                    }).ToList();
            }
            case "safe" or "e" or "escape" or "forceescape":
                // transformers' environment does not autoescape; escaping filters are not used by chat templates.
                return name == "safe" ? value : System.Net.WebUtility.HtmlEncode(Str(value));
            case "wordcount":
                return (long)Str(value).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            case "center":
            {
                var str = Str(value);
                var width = (int)(a.Int(0, "width", 80) ?? 80);
                var pad = Math.Max(0, width - str.Length);
                return new string(' ', pad / 2) + str + new string(' ', pad - pad / 2);
            }
            case "batch":
            {
                var size = (int)(a.Int(0, "linecount") ?? throw a.Error("batch needs a size"));
                return JinjaValues.Iterate(value, a.Line).Chunk(size).Select(c => (object?)c.ToList()).ToList();
            }
            default:
                throw new JinjaException($"unsupported filter '{name}'", a.Line);
        }

        object? Key(object? item, string? attribute) => attribute is null ? item : JinjaMethods.GetAttribute(item, attribute);
    }

    static string Str(object? v) => JinjaValues.Str(v);

    /// <summary>Python's str.strip() whitespace set.</summary>
    internal static readonly char[] PyWhitespace = [' ', '\t', '\n', '\r', '\v', '\f', '\u001c', '\u001d', '\u001e', '\u001f', '\u0085', '\u00a0',
        '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a',
        '\u2028', '\u2029', '\u202f', '\u205f', '\u3000'];

    static JinjaArgs Rest(JinjaArgs a, int from)
    {
        var rest = new List<object?>();
        for (var i = from; i < a.Count; i++)
            rest.Add(a.Get(i, ""));
        return new JinjaArgs("test", rest, [], a.Line);
    }
}
