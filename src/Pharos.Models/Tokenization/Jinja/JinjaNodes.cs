// The syntax tree of a parsed template: statement nodes and expression nodes, each with its template line.
namespace Pharos.Models.Tokenization.Jinja;

internal abstract record Expr(int Line);
internal sealed record LiteralExpr(int Line, object? Value) : Expr(Line);
internal sealed record NameExpr(int Line, string Name) : Expr(Line);
internal sealed record ListExpr(int Line, List<Expr> Items, bool IsTuple = false) : Expr(Line);
internal sealed record DictExpr(int Line, List<(Expr Key, Expr Value)> Items) : Expr(Line);
internal sealed record AttrExpr(int Line, Expr Target, string Attr) : Expr(Line);
internal sealed record ItemExpr(int Line, Expr Target, Expr Index) : Expr(Line);
internal sealed record SliceExpr(int Line, Expr Target, Expr? Start, Expr? Stop, Expr? Step) : Expr(Line);
internal sealed record CallExpr(int Line, Expr Function, List<Expr> Args, List<(string Name, Expr Value)> Kwargs) : Expr(Line);
internal sealed record FilterExpr(int Line, Expr Value, string Name, List<Expr> Args, List<(string Name, Expr Value)> Kwargs) : Expr(Line);
internal sealed record TestExpr(int Line, Expr Value, string Name, List<Expr> Args, bool Negated) : Expr(Line);
internal sealed record UnaryExpr(int Line, string Op, Expr Operand) : Expr(Line);
internal sealed record BinaryExpr(int Line, string Op, Expr Left, Expr Right) : Expr(Line);
internal sealed record ConditionalExpr(int Line, Expr Condition, Expr Then, Expr? Else) : Expr(Line);

internal abstract record Node(int Line);
internal sealed record TextNode(int Line, string Text) : Node(Line);
internal sealed record OutputNode(int Line, Expr Value) : Node(Line);
internal sealed record IfNode(int Line, List<(Expr Condition, List<Node> Body)> Branches, List<Node>? Else) : Node(Line);
internal sealed record ForNode(int Line, List<string> Targets, Expr Iterable, Expr? Filter, List<Node> Body, List<Node>? Else) : Node(Line);
/// <summary>{% set a = x %}, {% set a, b = x %}, {% set ns.attr = x %} (Namespace set), or a block {% set a %}…{% endset %} (Value null).</summary>
internal sealed record SetNode(int Line, List<string> Targets, string? Attribute, Expr? Value, List<Node>? Body) : Node(Line);
internal sealed record MacroNode(int Line, string Name, List<(string Name, Expr? Default)> Parameters, List<Node> Body) : Node(Line);
internal sealed record BreakNode(int Line) : Node(Line);
internal sealed record ContinueNode(int Line) : Node(Line);
