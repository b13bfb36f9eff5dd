// The tests of "x is name(args)": defined, none, string, mapping, iterable, number, true/false, equalto, …
namespace Pharos.Models.Tokenization.Jinja;

internal static class JinjaIsTests
{
    public static bool Apply(string name, object? v, JinjaArgs a)
    {
        object? Arg() => a.Get(0, "other");
        return name switch
        {
            "defined" => v is not JinjaUndefined,
            "undefined" => v is JinjaUndefined,
            "none" => v is null,
            "string" => v is string,
            "number" => v is long or double,
            "integer" => v is long,
            "float" => v is double,
            "boolean" => v is bool,
            "true" => v is true,
            "false" => v is false,
            "mapping" => v is Dictionary<string, object?> or JinjaNamespace,
            "sequence" => v is string or List<object?> or Dictionary<string, object?>,
            "iterable" => v is string or List<object?> or Dictionary<string, object?>,
            "callable" => v is JinjaCallable,
            "odd" => v is long o && o % 2 != 0,
            "even" => v is long e && e % 2 == 0,
            "divisibleby" => v is long d && a.Int(0, "num") is { } n && n != 0 && d % n == 0,
            "lower" => v is string l && l == l.ToLowerInvariant(),
            "upper" => v is string u && u == u.ToUpperInvariant(),
            "eq" or "equalto" or "==" or "sameas" => JinjaValues.PyEquals(v, Arg()),
            "ne" or "!=" => !JinjaValues.PyEquals(v, Arg()),
            "lt" or "lessthan" or "<" => JinjaValues.Compare(v, Arg(), a.Line) < 0,
            "le" or "<=" => JinjaValues.Compare(v, Arg(), a.Line) <= 0,
            "gt" or "greaterthan" or ">" => JinjaValues.Compare(v, Arg(), a.Line) > 0,
            "ge" or ">=" => JinjaValues.Compare(v, Arg(), a.Line) >= 0,
            "in" => JinjaOperators.Contains(Arg(), v, a.Line),
            _ => throw new JinjaException($"unsupported test 'is {name}'", a.Line),
        };
    }
}
