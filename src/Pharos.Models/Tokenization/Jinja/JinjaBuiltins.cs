// The global functions a chat template can call: range, namespace, dict, raise_exception, strftime_now (as transformers defines them).
using System.Globalization;
using System.Text;

namespace Pharos.Models.Tokenization.Jinja;

internal static class JinjaBuiltins
{
    public static readonly IReadOnlyDictionary<string, object?> Globals = new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["range"] = new JinjaCallable(Range),
        ["namespace"] = new JinjaCallable(Namespace),
        ["dict"] = new JinjaCallable((args, kw) =>
        {
            var d = args.Count > 0 && args[0] is Dictionary<string, object?> src ? new Dictionary<string, object?>(src, StringComparer.Ordinal) : new(StringComparer.Ordinal);
            foreach (var (k, v) in kw)
                d[k] = v;
            return d;
        }),
        ["raise_exception"] = new JinjaCallable((args, _) => throw JinjaException.FromTemplate(JinjaValues.Str(args.FirstOrDefault()))),
        ["strftime_now"] = new JinjaCallable((args, _) => StrFTime(DateTime.Now, JinjaValues.Str(args.FirstOrDefault()))),
    };

    static object? Range(List<object?> args, Dictionary<string, object?> _)
    {
        long Arg(int i) => args[i] is long l ? l : throw new JinjaException("range() takes integers", 0);
        var (start, stop, step) = args.Count switch
        {
            1 => (0L, Arg(0), 1L),
            2 => (Arg(0), Arg(1), 1L),
            3 => (Arg(0), Arg(1), Arg(2)),
            _ => throw new JinjaException("range() takes 1 to 3 arguments", 0),
        };
        if (step == 0)
            throw new JinjaException("range() step must not be zero", 0);
        var result = new List<object?>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
            result.Add(i);
        return result;
    }

    static object? Namespace(List<object?> args, Dictionary<string, object?> kwargs)
    {
        var ns = new JinjaNamespace();
        if (args.Count > 0 && args[0] is Dictionary<string, object?> initial)
            foreach (var (k, v) in initial)
                ns.Values[k] = v;
        foreach (var (k, v) in kwargs)
            ns.Values[k] = v;
        return ns;
    }

    /// <summary>Python's strftime for the directives date-stamping templates use (%d %m %Y %y %B %b %A %a %H %M %S %j %p %%).</summary>
    internal static string StrFTime(DateTime t, string format)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var d = format[++i];
            sb.Append(d switch
            {
                'd' => t.ToString("dd", c),
                'm' => t.ToString("MM", c),
                'Y' => t.ToString("yyyy", c),
                'y' => t.ToString("yy", c),
                'B' => t.ToString("MMMM", c),
                'b' => t.ToString("MMM", c),
                'A' => t.ToString("dddd", c),
                'a' => t.ToString("ddd", c),
                'H' => t.ToString("HH", c),
                'I' => t.ToString("hh", c),
                'M' => t.ToString("mm", c),
                'S' => t.ToString("ss", c),
                'p' => t.ToString("tt", c),
                'j' => t.DayOfYear.ToString("000", c),
                'e' => t.Day.ToString(c).PadLeft(2),
                '%' => "%",
                _ => "%" + d,
            });
        }
        return sb.ToString();
    }
}
