// Python's binary operators on template values: + - * / // % ** ~, in, and their type rules.
namespace Pharos.Models.Tokenization.Jinja;

internal static class JinjaOperators
{
    public static object? Binary(string op, object? a, object? b, int line)
    {
        switch (op)
        {
            case "~":
                return JinjaValues.Str(a) + JinjaValues.Str(b);
            case "==":
                return JinjaValues.PyEquals(a, b);
            case "!=":
                return !JinjaValues.PyEquals(a, b);
            case "<":
                return JinjaValues.Compare(a, b, line) < 0;
            case ">":
                return JinjaValues.Compare(a, b, line) > 0;
            case "<=":
                return JinjaValues.Compare(a, b, line) <= 0;
            case ">=":
                return JinjaValues.Compare(a, b, line) >= 0;
            case "in":
                return Contains(b, a, line);
            case "not in":
                return !Contains(b, a, line);
        }

        if (op == "+")
        {
            if (a is string sa && b is string sb)
                return sa + sb;
            if (a is List<object?> la && b is List<object?> lb)
                return la.Concat(lb).ToList();
        }
        if (op == "*")
        {
            if (a is string s && b is long n)
                return string.Concat(Enumerable.Repeat(s, (int)Math.Max(0, n)));
            if (a is long m && b is string t)
                return string.Concat(Enumerable.Repeat(t, (int)Math.Max(0, m)));
            if (a is List<object?> list && b is long k)
                return Enumerable.Repeat(list, (int)Math.Max(0, k)).SelectMany(x => x).ToList();
        }
        if (!JinjaValues.IsNumber(a) || !JinjaValues.IsNumber(b))
            throw new JinjaException($"unsupported operand types for {op}: '{JinjaValues.TypeName(a)}' and '{JinjaValues.TypeName(b)}'", line);

        var integers = a is long or bool && b is long or bool;
        if (integers)
        {
            var x = (long)JinjaValues.ToDouble(a);
            var y = (long)JinjaValues.ToDouble(b);
            switch (op)
            {
                case "+": return x + y;
                case "-": return x - y;
                case "*": return x * y;
                case "/": return y == 0 ? throw new JinjaException("division by zero", line) : (double)x / y;
                case "//": return y == 0 ? throw new JinjaException("integer division by zero", line) : FloorDiv(x, y);
                case "%": return y == 0 ? throw new JinjaException("modulo by zero", line) : x - y * FloorDiv(x, y);
                case "**": return y >= 0 ? (object)(long)Math.Pow(x, y) : Math.Pow(x, y);
            }
        }
        var p = JinjaValues.ToDouble(a);
        var q = JinjaValues.ToDouble(b);
        return op switch
        {
            "+" => p + q,
            "-" => p - q,
            "*" => p * q,
            "/" => q == 0 ? throw new JinjaException("division by zero", line) : p / q,
            "//" => q == 0 ? throw new JinjaException("division by zero", line) : Math.Floor(p / q),
            "%" => q == 0 ? throw new JinjaException("modulo by zero", line) : p - q * Math.Floor(p / q),
            "**" => Math.Pow(p, q),
            _ => throw new JinjaException($"unknown operator '{op}'", line),
        };
    }

    static long FloorDiv(long x, long y)
    {
        var q = x / y;
        return (x % y != 0) && ((x < 0) != (y < 0)) ? q - 1 : q;
    }

    /// <summary>Python's "item in container": substring, list membership or dict key.</summary>
    public static bool Contains(object? container, object? item, int line) => container switch
    {
        string s when item is string sub => s.Contains(sub, StringComparison.Ordinal),
        string => throw new JinjaException($"'in <string>' requires string as left operand, not {JinjaValues.TypeName(item)}", line),
        List<object?> list => list.Any(x => JinjaValues.PyEquals(x, item)),
        Dictionary<string, object?> dict => item is string key && dict.ContainsKey(key),
        JinjaNamespace ns => item is string k && ns.Values.ContainsKey(k),
        JinjaUndefined => false,
        _ => throw new JinjaException($"argument of type '{JinjaValues.TypeName(container)}' is not iterable", line),
    };
}
