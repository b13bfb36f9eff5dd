// The object namespace() returns: attributes a template may set from inside a loop.
namespace Pharos.Models.Tokenization.Jinja;

/// <summary>namespace(): the one object a template may change from inside a loop (set ns.attr = …).</summary>
internal sealed class JinjaNamespace
{
    public Dictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);
}
