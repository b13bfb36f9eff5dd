// Turns lexed segments into the syntax tree; expressions follow Jinja's precedence (filters and tests bind tightest).
namespace Pharos.Models.Tokenization.Jinja;

internal sealed class JinjaParser
{
    readonly List<JinjaSegment> _segments;
    int _index;

    JinjaParser(List<JinjaSegment> segments) => _segments = segments;

    public static List<Node> Parse(string source)
    {
        var parser = new JinjaParser(JinjaLexer.Lex(source));
        var (body, end) = parser.ParseBlock();
        if (end is not null)
            throw new JinjaException($"unexpected '{{% {end.Value.Tag} %}}'", end.Value.Line);
        return body;
    }

    /// <summary>Parses nodes until a statement this block does not own (endif, else, …) or the end; returns that statement's tag.</summary>
    (List<Node> Body, (string Tag, int Line, TokenStream Tokens)? End) ParseBlock()
    {
        var nodes = new List<Node>();
        while (_index < _segments.Count)
        {
            var segment = _segments[_index++];
            switch (segment.Kind)
            {
                case SegmentKind.Text:
                    nodes.Add(new TextNode(segment.Line, segment.Text));
                    break;
                case SegmentKind.Output:
                {
                    var ts = new TokenStream(segment.Tokens);
                    nodes.Add(new OutputNode(segment.Line, ParseExpression(ts)));
                    ts.ExpectEnd();
                    break;
                }
                case SegmentKind.Statement:
                {
                    var ts = new TokenStream(segment.Tokens);
                    var head = ts.Next();
                    if (head.Kind != JinjaTokenKind.Name)
                        throw new JinjaException($"expected a statement name, found {head}", head.Line);
                    switch (head.Text)
                    {
                        case "if": nodes.Add(ParseIf(ts, head.Line)); break;
                        case "for": nodes.Add(ParseFor(ts, head.Line)); break;
                        case "set": nodes.Add(ParseSet(ts, head.Line)); break;
                        case "macro": nodes.Add(ParseMacro(ts, head.Line)); break;
                        case "break": ts.ExpectEnd(); nodes.Add(new BreakNode(head.Line)); break;
                        case "continue": ts.ExpectEnd(); nodes.Add(new ContinueNode(head.Line)); break;
                        case "generation":
                        {
                            // transformers' {% generation %} marks assistant text for masks; rendering is the body itself.
                            ts.ExpectEnd();
                            var (body, end) = ParseBlock();
                            Expect(end, head.Line, "endgeneration");
                            nodes.AddRange(body);
                            break;
                        }
                        case "endif" or "elif" or "else" or "endfor" or "endset" or "endmacro" or "endgeneration":
                            return (nodes, (head.Text, head.Line, ts));
                        default:
                            throw new JinjaException($"unsupported statement '{{% {head.Text} %}}' (supported: if, for, set, macro, break, continue, generation, raw)", head.Line);
                    }
                    break;
                }
            }
        }
        return (nodes, null);
    }

    static void Expect((string Tag, int Line, TokenStream Tokens)? end, int line, params string[] tags)
    {
        if (end is null)
            throw new JinjaException($"block opened here is never closed (expected {{% {tags[^1]} %}})", line);
        if (!tags.Contains(end.Value.Tag))
            throw new JinjaException($"unexpected '{{% {end.Value.Tag} %}}' (expected {string.Join(" or ", tags)})", end.Value.Line);
    }

    IfNode ParseIf(TokenStream ts, int line)
    {
        var branches = new List<(Expr, List<Node>)>();
        var condition = ParseExpression(ts);
        ts.ExpectEnd();
        while (true)
        {
            var (body, end) = ParseBlock();
            Expect(end, line, "elif", "else", "endif");
            branches.Add((condition, body));
            var (tag, _, tokens) = end!.Value;
            if (tag == "endif")
            {
                tokens.ExpectEnd();
                return new IfNode(line, branches, null);
            }
            if (tag == "else")
            {
                tokens.ExpectEnd();
                var (elseBody, elseEnd) = ParseBlock();
                Expect(elseEnd, line, "endif");
                return new IfNode(line, branches, elseBody);
            }
            condition = ParseExpression(tokens);
            tokens.ExpectEnd();
        }
    }

    ForNode ParseFor(TokenStream ts, int line)
    {
        var targets = new List<string>();
        var parenthesized = ts.Accept("(");
        do
            targets.Add(ts.ExpectName());
        while (ts.Accept(","));
        if (parenthesized)
            ts.Expect(")");
        if (!ts.Next().IsName("in"))
            throw new JinjaException("expected 'in' in for loop", line);
        var iterable = ParseOr(ts);
        Expr? filter = null;
        if (ts.AcceptName("if"))
            filter = ParseOr(ts);
        if (ts.AcceptName("recursive"))
            throw new JinjaException("recursive for loops are not supported", line);
        ts.ExpectEnd();
        var (body, end) = ParseBlock();
        Expect(end, line, "else", "endfor");
        List<Node>? elseBody = null;
        if (end!.Value.Tag == "else")
        {
            end.Value.Tokens.ExpectEnd();
            (elseBody, var elseEnd) = ParseBlock();
            Expect(elseEnd, line, "endfor");
        }
        return new ForNode(line, targets, iterable, filter, body, elseBody);
    }

    SetNode ParseSet(TokenStream ts, int line)
    {
        var targets = new List<string> { ts.ExpectName() };
        string? attribute = null;
        if (ts.Accept("."))
            attribute = ts.ExpectName();
        else
            while (ts.Accept(","))
                targets.Add(ts.ExpectName());
        if (ts.Peek().Kind == JinjaTokenKind.End)
        {
            if (attribute is not null || targets.Count > 1)
                throw new JinjaException("a block set takes one plain name", line);
            ts.ExpectEnd();
            var (body, end) = ParseBlock();
            Expect(end, line, "endset");
            return new SetNode(line, targets, null, null, body);
        }
        ts.Expect("=");
        var value = ParseTuple(ts);
        ts.ExpectEnd();
        return new SetNode(line, targets, attribute, value, null);
    }

    MacroNode ParseMacro(TokenStream ts, int line)
    {
        var name = ts.ExpectName();
        var parameters = new List<(string, Expr?)>();
        ts.Expect("(");
        while (!ts.Accept(")"))
        {
            var p = ts.ExpectName();
            parameters.Add((p, ts.Accept("=") ? ParseExpression(ts) : null));
            if (!ts.Accept(","))
            {
                ts.Expect(")");
                break;
            }
        }
        ts.ExpectEnd();
        var (body, end) = ParseBlock();
        Expect(end, line, "endmacro");
        return new MacroNode(line, name, parameters, body);
    }

    /// <summary>An expression, or a bare tuple "a, b" (as on the right of set).</summary>
    static Expr ParseTuple(TokenStream ts)
    {
        var first = ParseExpression(ts);
        if (!ts.Peek().Is(","))
            return first;
        var items = new List<Expr> { first };
        while (ts.Accept(",") && ts.Peek().Kind != JinjaTokenKind.End)
            items.Add(ParseExpression(ts));
        return new ListExpr(first.Line, items, IsTuple: true);
    }

    internal static Expr ParseExpression(TokenStream ts)
    {
        var expr = ParseOr(ts);
        while (ts.AcceptName("if"))
        {
            var condition = ParseOr(ts);
            Expr? otherwise = ts.AcceptName("else") ? ParseExpression(ts) : null;
            expr = new ConditionalExpr(expr.Line, condition, expr, otherwise);
        }
        return expr;
    }

    static Expr ParseOr(TokenStream ts)
    {
        var left = ParseAnd(ts);
        while (ts.AcceptName("or"))
            left = new BinaryExpr(left.Line, "or", left, ParseAnd(ts));
        return left;
    }

    static Expr ParseAnd(TokenStream ts)
    {
        var left = ParseNot(ts);
        while (ts.AcceptName("and"))
            left = new BinaryExpr(left.Line, "and", left, ParseNot(ts));
        return left;
    }

    static Expr ParseNot(TokenStream ts)
    {
        var token = ts.Peek();
        if (token.IsName("not"))
        {
            ts.Next();
            return new UnaryExpr(token.Line, "not", ParseNot(ts));
        }
        return ParseCompare(ts);
    }

    static readonly string[] CompareOps = ["==", "!=", "<", ">", "<=", ">="];

    static Expr ParseCompare(TokenStream ts)
    {
        var left = ParseMath1(ts);
        while (true)
        {
            var t = ts.Peek();
            if (t.Kind == JinjaTokenKind.Operator && CompareOps.Contains(t.Text))
            {
                ts.Next();
                left = new BinaryExpr(t.Line, t.Text, left, ParseMath1(ts));
            }
            else if (t.IsName("in"))
            {
                ts.Next();
                left = new BinaryExpr(t.Line, "in", left, ParseMath1(ts));
            }
            else if (t.IsName("not") && ts.Peek(1).IsName("in"))
            {
                ts.Next();
                ts.Next();
                left = new BinaryExpr(t.Line, "not in", left, ParseMath1(ts));
            }
            else
                return left;
        }
    }

    static Expr ParseMath1(TokenStream ts)
    {
        var left = ParseConcat(ts);
        while (ts.Peek().Is("+") || ts.Peek().Is("-"))
        {
            var op = ts.Next();
            left = new BinaryExpr(op.Line, op.Text, left, ParseConcat(ts));
        }
        return left;
    }

    static Expr ParseConcat(TokenStream ts)
    {
        var left = ParseMath2(ts);
        while (ts.Peek().Is("~"))
        {
            var op = ts.Next();
            left = new BinaryExpr(op.Line, "~", left, ParseMath2(ts));
        }
        return left;
    }

    static Expr ParseMath2(TokenStream ts)
    {
        var left = ParsePow(ts);
        while (ts.Peek().Is("*") || ts.Peek().Is("/") || ts.Peek().Is("//") || ts.Peek().Is("%"))
        {
            var op = ts.Next();
            left = new BinaryExpr(op.Line, op.Text, left, ParsePow(ts));
        }
        return left;
    }

    static Expr ParsePow(TokenStream ts)
    {
        var left = ParseUnary(ts, withFilter: true);
        while (ts.Peek().Is("**"))
        {
            var op = ts.Next();
            left = new BinaryExpr(op.Line, "**", left, ParseUnary(ts, withFilter: true));
        }
        return left;
    }

    static Expr ParseUnary(TokenStream ts, bool withFilter)
    {
        var t = ts.Peek();
        Expr node;
        if (t.Is("-") || t.Is("+"))
        {
            ts.Next();
            node = new UnaryExpr(t.Line, t.Text, ParseUnary(ts, withFilter: false));
        }
        else
            node = ParsePostfix(ts, ParsePrimary(ts));
        return withFilter ? ParseFilters(ts, node) : node;
    }

    static Expr ParsePrimary(TokenStream ts)
    {
        var t = ts.Next();
        switch (t.Kind)
        {
            case JinjaTokenKind.String:
            {
                // Adjacent string literals concatenate, as in Python.
                var s = (string)t.Value!;
                while (ts.Peek().Kind == JinjaTokenKind.String)
                    s += (string)ts.Next().Value!;
                return new LiteralExpr(t.Line, s);
            }
            case JinjaTokenKind.Integer:
            case JinjaTokenKind.Float:
                return new LiteralExpr(t.Line, t.Value);
            case JinjaTokenKind.Name:
                return t.Text switch
                {
                    "true" or "True" => new LiteralExpr(t.Line, true),
                    "false" or "False" => new LiteralExpr(t.Line, false),
                    "none" or "None" => new LiteralExpr(t.Line, null),
                    _ => new NameExpr(t.Line, t.Text),
                };
            case JinjaTokenKind.Operator when t.Text == "(":
            {
                if (ts.Accept(")"))
                    return new ListExpr(t.Line, [], IsTuple: true);
                var first = ParseExpression(ts);
                if (ts.Accept(")"))
                    return first;
                var items = new List<Expr> { first };
                while (ts.Accept(",") && !ts.Peek().Is(")"))
                    items.Add(ParseExpression(ts));
                ts.Expect(")");
                return new ListExpr(t.Line, items, IsTuple: true);
            }
            case JinjaTokenKind.Operator when t.Text == "[":
            {
                var items = new List<Expr>();
                while (!ts.Accept("]"))
                {
                    items.Add(ParseExpression(ts));
                    if (!ts.Accept(","))
                    {
                        ts.Expect("]");
                        break;
                    }
                }
                return new ListExpr(t.Line, items);
            }
            case JinjaTokenKind.Operator when t.Text == "{":
            {
                var items = new List<(Expr, Expr)>();
                while (!ts.Accept("}"))
                {
                    var key = ParseExpression(ts);
                    ts.Expect(":");
                    items.Add((key, ParseExpression(ts)));
                    if (!ts.Accept(","))
                    {
                        ts.Expect("}");
                        break;
                    }
                }
                return new DictExpr(t.Line, items);
            }
            default:
                throw new JinjaException($"unexpected {t} in expression", t.Line);
        }
    }

    static Expr ParsePostfix(TokenStream ts, Expr node)
    {
        while (true)
        {
            var t = ts.Peek();
            if (t.Is("."))
            {
                ts.Next();
                var name = ts.Next();
                node = name.Kind switch
                {
                    JinjaTokenKind.Name => new AttrExpr(t.Line, node, name.Text),
                    JinjaTokenKind.Integer => new ItemExpr(t.Line, node, new LiteralExpr(t.Line, name.Value)),
                    _ => throw new JinjaException($"expected an attribute name after '.', found {name}", t.Line),
                };
            }
            else if (t.Is("["))
            {
                ts.Next();
                node = ParseSubscript(ts, node, t.Line);
            }
            else if (t.Is("("))
                node = ParseCall(ts, node);
            else
                return node;
        }
    }

    static Expr ParseSubscript(TokenStream ts, Expr target, int line)
    {
        Expr? start = null, stop = null, step = null;
        if (!ts.Peek().Is(":"))
        {
            start = ParseExpression(ts);
            if (ts.Accept("]"))
                return new ItemExpr(line, target, start);
        }
        ts.Expect(":");
        if (!ts.Peek().Is(":") && !ts.Peek().Is("]"))
            stop = ParseExpression(ts);
        if (ts.Accept(":") && !ts.Peek().Is("]"))
            step = ParseExpression(ts);
        ts.Expect("]");
        return new SliceExpr(line, target, start, stop, step);
    }

    static CallExpr ParseCall(TokenStream ts, Expr function)
    {
        var line = ts.Expect("(").Line;
        var (args, kwargs) = ParseArguments(ts);
        return new CallExpr(line, function, args, kwargs);
    }

    /// <summary>Arguments after an opening parenthesis, through the closing one.</summary>
    static (List<Expr>, List<(string, Expr)>) ParseArguments(TokenStream ts)
    {
        var args = new List<Expr>();
        var kwargs = new List<(string, Expr)>();
        while (!ts.Accept(")"))
        {
            if (ts.Peek().Kind == JinjaTokenKind.Name && ts.Peek(1).Is("="))
            {
                var name = ts.Next().Text;
                ts.Next();
                kwargs.Add((name, ParseExpression(ts)));
            }
            else
                args.Add(ParseExpression(ts));
            if (!ts.Accept(","))
            {
                ts.Expect(")");
                break;
            }
        }
        return (args, kwargs);
    }

    static Expr ParseFilters(TokenStream ts, Expr node)
    {
        while (true)
        {
            var t = ts.Peek();
            if (t.Is("|"))
            {
                ts.Next();
                var name = ts.ExpectName();
                while (ts.Accept("."))
                    name += "." + ts.ExpectName();
                var (args, kwargs) = ts.Accept("(") ? ParseArguments(ts) : ([], []);
                node = new FilterExpr(t.Line, node, name, args, kwargs);
            }
            else if (t.IsName("is"))
            {
                ts.Next();
                var negated = ts.AcceptName("not");
                var name = ts.Next();
                if (name.Kind != JinjaTokenKind.Name)
                    throw new JinjaException($"expected a test name after 'is', found {name}", name.Line);
                var args = new List<Expr>();
                if (ts.Accept("("))
                    args = ParseArguments(ts).Item1;
                else if (ts.Peek().Kind is JinjaTokenKind.String or JinjaTokenKind.Integer or JinjaTokenKind.Float ||
                         (ts.Peek().Kind == JinjaTokenKind.Name && !IsKeyword(ts.Peek().Text)))
                    args.Add(ParsePostfix(ts, ParsePrimary(ts)));
                node = new TestExpr(t.Line, node, name.Text, args, negated);
            }
            else if (t.Is("("))
                node = ParseCall(ts, node);
            else
                return node;
        }
    }

    static bool IsKeyword(string name) => name is "and" or "or" or "not" or "in" or "is" or "if" or "else";
}
