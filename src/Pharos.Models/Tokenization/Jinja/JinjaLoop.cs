// The loop variable of {% for %}: index, first/last, length, neighbours, cycle().
namespace Pharos.Models.Tokenization.Jinja;

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
