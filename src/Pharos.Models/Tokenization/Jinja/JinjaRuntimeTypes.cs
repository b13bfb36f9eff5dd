// The template-side objects that are not plain data: undefined, namespace(), the loop variable and callables.
namespace Pharos.Models.Tokenization.Jinja;

/// <summary>A missing variable or attribute: renders as "", is falsy, and "is defined" is false (Jinja's default Undefined).</summary>
internal sealed class JinjaUndefined
{
    public static readonly JinjaUndefined Instance = new();
    public override string ToString() => "";
}

/// <summary>namespace(): the one object a template may change from inside a loop (set ns.attr = …).</summary>
internal sealed class JinjaNamespace
{
    public Dictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);
}

/// <summary>A Python tuple: a list that prints as (a, b); made by tuple literals, items() and unpacking sets.</summary>
internal sealed class JinjaTuple : List<object?>
{
    public JinjaTuple(IEnumerable<object?> items) : base(items) { }
}

/// <summary>Built-in functions, macros and bound methods: positional and keyword arguments in, a value out.</summary>
internal delegate object? JinjaCallable(List<object?> args, Dictionary<string, object?> kwargs);

/// <summary>The loop variable inside {% for %}.</summary>
internal sealed class JinjaLoop(List<object?> items)
{
    public int Index0 { get; set; }

    public object? Get(string name) => name switch
    {
        "index0" => (long)Index0,
        "index" => (long)Index0 + 1,
        "revindex" => (long)(items.Count - Index0),
        "revindex0" => (long)(items.Count - Index0 - 1),
        "first" => Index0 == 0,
        "last" => Index0 == items.Count - 1,
        "length" => (long)items.Count,
        "previtem" => Index0 > 0 ? items[Index0 - 1] : JinjaUndefined.Instance,
        "nextitem" => Index0 + 1 < items.Count ? items[Index0 + 1] : JinjaUndefined.Instance,
        "depth" => 1L,
        "depth0" => 0L,
        "cycle" => new JinjaCallable((args, _) => args.Count == 0 ? null : args[Index0 % args.Count]),
        _ => JinjaUndefined.Instance,
    };
}
