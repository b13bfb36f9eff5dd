// A parsed Jinja template (the subset Hugging Face chat templates use); parse once, render many times.
namespace Pharos.Models.Tokenization.Jinja;

/// <summary>
/// No Jinja package exists for .NET here, so this is a small interpreter of its own: lexer (JinjaLexer), parser
/// (JinjaParser) and tree-walking renderer (JinjaRenderer) with Python value semantics (JinjaValues). Unsupported
/// constructs fail at parse time with the template line.
/// </summary>
public sealed class JinjaTemplate
{
    readonly List<Node> _nodes;

    JinjaTemplate(List<Node> nodes) => _nodes = nodes;

    /// <exception cref="JinjaException">The template uses a construct outside the supported subset, or is malformed.</exception>
    public static JinjaTemplate Parse(string source) => new(JinjaParser.Parse(source));

    /// <summary>Renders with the given variables (.NET values: strings, numbers, bools, lists, dictionaries, JSON nodes).</summary>
    public string Render(IReadOnlyDictionary<string, object?> variables)
    {
        var globals = variables.ToDictionary(kv => kv.Key, kv => JinjaValues.FromClr(kv.Value), StringComparer.Ordinal);
        return new JinjaRenderer(globals).Render(_nodes);
    }
}
