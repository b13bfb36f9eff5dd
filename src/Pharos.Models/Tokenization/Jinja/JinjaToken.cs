// One token of a Jinja expression (inside {{ }} or {% %}), with the template line it came from.
namespace Pharos.Models.Tokenization.Jinja;

internal enum JinjaTokenKind { Name, String, Integer, Float, Operator, End }

internal readonly record struct JinjaToken(JinjaTokenKind Kind, string Text, int Line, object? Value = null)
{
    public bool Is(string op) => Kind == JinjaTokenKind.Operator && Text == op;
    public bool IsName(string name) => Kind == JinjaTokenKind.Name && Text == name;
    public override string ToString() => Kind == JinjaTokenKind.End ? "end of tag" : $"'{Text}'";
}
