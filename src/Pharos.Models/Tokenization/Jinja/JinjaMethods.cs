// Attribute lookup (obj.name) and the Python methods templates call on strings, dicts and lists.
namespace Pharos.Models.Tokenization.Jinja;

internal static class JinjaMethods
{
    /// <summary>Jinja's getattr: a method of the Python type wins, then a dict key; missing gives undefined.</summary>
    public static object? GetAttribute(object? target, string name)
    {
        switch (target)
        {
            case Dictionary<string, object?> dict:
                if (DictMethod(dict, name) is { } method)
                    return method;
                return dict.TryGetValue(name, out var v) ? v : JinjaUndefined.Instance;
            case JinjaNamespace ns:
                return ns.Values.TryGetValue(name, out var nv) ? nv : JinjaUndefined.Instance;
            case JinjaLoop loop:
                return loop.Get(name);
            case string s:
                return (object?)StringMethod(s, name) ?? JinjaUndefined.Instance;
            case List<object?> list:
                return (object?)ListMethod(list, name) ?? JinjaUndefined.Instance;
            default:
                return JinjaUndefined.Instance;
        }
    }

    /// <summary>Jinja's subscript: a dict key (or list index) wins, then an attribute.</summary>
    public static object? GetItem(object? target, object? key, int line)
    {
        switch (target)
        {
            case Dictionary<string, object?> dict when key is string k:
                return dict.TryGetValue(k, out var v) ? v : JinjaUndefined.Instance;
            case List<object?> list when key is long or bool:
                var i = (long)JinjaValues.ToDouble(key);
                if (i < 0)
                    i += list.Count;
                return i >= 0 && i < list.Count ? list[(int)i] : JinjaUndefined.Instance;
            case string s when key is long or bool:
                var cps = JinjaValues.CodePoints(s);
                var j = (long)JinjaValues.ToDouble(key);
                if (j < 0)
                    j += cps.Length;
                return j >= 0 && j < cps.Length ? cps[j] : JinjaUndefined.Instance;
            case JinjaUndefined:
                return JinjaUndefined.Instance;
            case null:
                throw new JinjaException($"'NoneType' object is not subscriptable", line);
            default:
                return key is string name ? GetAttribute(target, name) : JinjaUndefined.Instance;
        }
    }

    static JinjaCallable? DictMethod(Dictionary<string, object?> dict, string name) => name switch
    {
        "items" => (_, _) => dict.Select(kv => (object?)new JinjaTuple([kv.Key, kv.Value])).ToList(),
        "keys" => (_, _) => dict.Keys.Cast<object?>().ToList(),
        "values" => (_, _) => dict.Values.ToList(),
        "get" => (args, kw) => args.Count > 0 && args[0] is string k && dict.TryGetValue(k, out var v) ? v : args.Count > 1 ? args[1] : kw.GetValueOrDefault("default"),
        _ => null,
    };

    static JinjaCallable? ListMethod(List<object?> list, string name) => name switch
    {
        "index" => (args, _) => (long)list.FindIndex(x => JinjaValues.PyEquals(x, args.FirstOrDefault())),
        "count" => (args, _) => (long)list.Count(x => JinjaValues.PyEquals(x, args.FirstOrDefault())),
        _ => null,
    };

    static JinjaCallable? StringMethod(string s, string name) => name switch
    {
        "strip" => (args, _) => Strip(s, args, true, true),
        "lstrip" => (args, _) => Strip(s, args, true, false),
        "rstrip" => (args, _) => Strip(s, args, false, true),
        "upper" => (_, _) => s.ToUpperInvariant(),
        "lower" => (_, _) => s.ToLowerInvariant(),
        "title" => (args, kw) => JinjaFilters.Apply("title", s, new JinjaArgs("title", args, kw, 0), (_, _, _) => false),
        "capitalize" => (args, kw) => JinjaFilters.Apply("capitalize", s, new JinjaArgs("capitalize", args, kw, 0), (_, _, _) => false),
        "startswith" => (args, _) => Affix(args, p => s.StartsWith(p, StringComparison.Ordinal)),
        "endswith" => (args, _) => Affix(args, p => s.EndsWith(p, StringComparison.Ordinal)),
        "split" => (args, kw) => Split(s, new JinjaArgs("split", args, kw, 0)),
        "replace" => (args, kw) =>
        {
            var a = new JinjaArgs("replace", args, kw, 0);
            return Replace(s, a.String(0, "old") ?? "", a.String(1, "new") ?? "", a.Int(2, "count"));
        },
        "find" => (args, _) => args.Count > 0 && args[0] is string sub ? (long)s.IndexOf(sub, StringComparison.Ordinal) : -1L,
        "count" => (args, _) => args.Count > 0 && args[0] is string sub && sub.Length > 0 ? (long)((s.Length - s.Replace(sub, "", StringComparison.Ordinal).Length) / sub.Length) : 0L,
        "join" => (args, _) => string.Join(s, JinjaValues.Iterate(args.FirstOrDefault(), 0).Select(JinjaValues.Str)),
        "isdigit" => (_, _) => s.Length > 0 && s.All(char.IsDigit),
        "isalpha" => (_, _) => s.Length > 0 && s.All(char.IsLetter),
        "isspace" => (_, _) => s.Length > 0 && s.All(char.IsWhiteSpace),
        "islower" => (_, _) => s.Any(char.IsLetter) && !s.Any(char.IsUpper),
        "isupper" => (_, _) => s.Any(char.IsLetter) && !s.Any(char.IsLower),
        _ => null,
    };

    static object? Strip(string s, List<object?> args, bool left, bool right)
    {
        var chars = args.Count > 0 && args[0] is string c ? c.ToCharArray() : JinjaFilters.PyWhitespace;
        return left && right ? s.Trim(chars) : left ? s.TrimStart(chars) : s.TrimEnd(chars);
    }

    static object? Affix(List<object?> args, Func<string, bool> test) => args.FirstOrDefault() switch
    {
        string p => test(p),
        List<object?> options => options.OfType<string>().Any(test),
        _ => false,
    };

    /// <summary>Python's str.split: with no separator, runs of whitespace split and ends are dropped.</summary>
    static object? Split(string s, JinjaArgs a)
    {
        var sep = a.String(0, "sep");
        var max = a.Int(1, "maxsplit", -1) ?? -1;
        var parts = new List<object?>();
        if (sep is null)
        {
            var words = s.Split(JinjaFilters.PyWhitespace, StringSplitOptions.RemoveEmptyEntries);
            if (max < 0 || words.Length <= max + 1)
                return words.Cast<object?>().ToList();
            var rest = s.TrimStart(JinjaFilters.PyWhitespace);
            for (var i = 0; i < max; i++)
            {
                var cut = rest.IndexOfAny(JinjaFilters.PyWhitespace);
                parts.Add(rest[..cut]);
                rest = rest[cut..].TrimStart(JinjaFilters.PyWhitespace);
            }
            parts.Add(rest);
            return parts;
        }
        if (sep.Length == 0)
            throw a.Error("empty separator");
        var start = 0;
        while (max < 0 || parts.Count < max)
        {
            var at = s.IndexOf(sep, start, StringComparison.Ordinal);
            if (at < 0)
                break;
            parts.Add(s[start..at]);
            start = at + sep.Length;
        }
        parts.Add(s[start..]);
        return parts;
    }

    public static string Replace(string s, string old, string replacement, long? count)
    {
        if (count is null or < 0)
            return old.Length == 0 ? string.Join(replacement, ["", .. JinjaValues.CodePoints(s), ""]) : s.Replace(old, replacement, StringComparison.Ordinal);
        var result = new System.Text.StringBuilder();
        var start = 0;
        for (var n = 0; n < count; n++)
        {
            var at = s.IndexOf(old, start, StringComparison.Ordinal);
            if (at < 0 || old.Length == 0)
                break;
            result.Append(s, start, at - start).Append(replacement);
            start = at + old.Length;
        }
        return result.Append(s, start, s.Length - start).ToString();
    }
}
