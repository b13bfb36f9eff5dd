// Executes a parsed template: scopes (a for body and a macro get their own), output, control flow and expression evaluation.
using System.Text;

namespace Pharos.Models.Tokenization.Jinja;

internal sealed class JinjaRenderer
{
    enum Flow { Normal, Break, Continue }

    readonly IReadOnlyDictionary<string, object?> _globals;
    readonly List<Dictionary<string, object?>> _scopes = new();

    public JinjaRenderer(IReadOnlyDictionary<string, object?> globals)
    {
        _globals = globals;
        _scopes.Add(new Dictionary<string, object?>(StringComparer.Ordinal));
    }

    public string Render(List<Node> nodes)
    {
        var output = new StringBuilder();
        Execute(nodes, output);
        return output.ToString();
    }

    Flow Execute(List<Node> nodes, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            var flow = ExecuteOne(node, output);
            if (flow != Flow.Normal)
                return flow;
        }
        return Flow.Normal;
    }

    Flow ExecuteOne(Node node, StringBuilder output)
    {
        switch (node)
        {
            case TextNode t:
                output.Append(t.Text);
                return Flow.Normal;
            case OutputNode o:
                output.Append(JinjaValues.Str(Eval(o.Value)));
                return Flow.Normal;
            case IfNode i:
                foreach (var (condition, body) in i.Branches)
                    if (JinjaValues.Truthy(Eval(condition)))
                        return Execute(body, output);
                return i.Else is null ? Flow.Normal : Execute(i.Else, output);
            case ForNode f:
                return ExecuteFor(f, output);
            case SetNode s:
                ExecuteSet(s);
                return Flow.Normal;
            case MacroNode m:
                _scopes[^1][m.Name] = MakeMacro(m);
                return Flow.Normal;
            case BreakNode:
                return Flow.Break;
            case ContinueNode:
                return Flow.Continue;
            default:
                throw new JinjaException($"cannot execute {node.GetType().Name}", node.Line);
        }
    }

    Flow ExecuteFor(ForNode f, StringBuilder output)
    {
        var items = JinjaValues.Iterate(Eval(f.Iterable), f.Line);
        if (f.Filter is not null)
        {
            var kept = new List<object?>();
            foreach (var item in items)
            {
                var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
                Bind(f, scope, item);
                _scopes.Add(scope);
                try
                {
                    if (JinjaValues.Truthy(Eval(f.Filter)))
                        kept.Add(item);
                }
                finally
                {
                    _scopes.RemoveAt(_scopes.Count - 1);
                }
            }
            items = kept;
        }
        if (items.Count == 0)
            return f.Else is null ? Flow.Normal : Execute(f.Else, output);

        var loop = new JinjaLoop(items);
        for (var i = 0; i < items.Count; i++)
        {
            loop.Index0 = i;
            // Each iteration gets a fresh scope: a set inside the body does not outlive it (use namespace() for that).
            var scope = new Dictionary<string, object?>(StringComparer.Ordinal) { ["loop"] = loop };
            Bind(f, scope, items[i]);
            _scopes.Add(scope);
            Flow flow;
            try
            {
                flow = Execute(f.Body, output);
            }
            finally
            {
                _scopes.RemoveAt(_scopes.Count - 1);
            }
            if (flow == Flow.Break)
                break;
        }
        return Flow.Normal;
    }

    static void Bind(ForNode f, Dictionary<string, object?> scope, object? item)
    {
        if (f.Targets.Count == 1)
        {
            scope[f.Targets[0]] = item;
            return;
        }
        if (item is not List<object?> parts || parts.Count != f.Targets.Count)
            throw new JinjaException($"cannot unpack {JinjaValues.TypeName(item)} into {f.Targets.Count} loop variables", f.Line);
        for (var i = 0; i < parts.Count; i++)
            scope[f.Targets[i]] = parts[i];
    }

    void ExecuteSet(SetNode s)
    {
        object? value;
        if (s.Body is not null)
        {
            var sb = new StringBuilder();
            Execute(s.Body, sb);
            value = sb.ToString();
        }
        else
            value = Eval(s.Value!);

        if (s.Attribute is not null)
        {
            if (Lookup(s.Targets[0], s.Line) is not JinjaNamespace ns)
                throw new JinjaException($"cannot assign attribute on non-namespace object '{s.Targets[0]}'", s.Line);
            ns.Values[s.Attribute] = value;
            return;
        }
        if (s.Targets.Count == 1)
        {
            _scopes[^1][s.Targets[0]] = value;
            return;
        }
        if (value is not List<object?> parts || parts.Count != s.Targets.Count)
            throw new JinjaException($"cannot unpack into {s.Targets.Count} names", s.Line);
        for (var i = 0; i < parts.Count; i++)
            _scopes[^1][s.Targets[i]] = parts[i];
    }

    JinjaCallable MakeMacro(MacroNode m)
    {
        var definingScopes = _scopes.ToList();
        return (args, kwargs) =>
        {
            var local = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < m.Parameters.Count; i++)
            {
                var (name, fallback) = m.Parameters[i];
                local[name] = i < args.Count ? args[i]
                    : kwargs.TryGetValue(name, out var v) ? v
                    : fallback is not null ? Eval(fallback) : JinjaUndefined.Instance;
            }
            var renderer = new JinjaRenderer(_globals);
            renderer._scopes.Clear();
            renderer._scopes.AddRange(definingScopes);
            renderer._scopes.Add(local);
            var sb = new StringBuilder();
            renderer.Execute(m.Body, sb);
            return sb.ToString();
        };
    }

    object? Lookup(string name, int line)
    {
        for (var i = _scopes.Count - 1; i >= 0; i--)
            if (_scopes[i].TryGetValue(name, out var v))
                return v;
        if (_globals.TryGetValue(name, out var g))
            return g;
        return JinjaBuiltins.Globals.TryGetValue(name, out var b) ? b : JinjaUndefined.Instance;
    }

    public object? Eval(Expr expr)
    {
        try
        {
            return EvalCore(expr);
        }
        catch (JinjaException e) when (e.Line == 0 && !e.Raised)
        {
            throw new JinjaException(e.Message, expr.Line);
        }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            throw new JinjaException(e.Message, expr.Line);
        }
    }

    object? EvalCore(Expr expr)
    {
        switch (expr)
        {
            case LiteralExpr l:
                return l.Value;
            case NameExpr n:
                return Lookup(n.Name, n.Line);
            case ListExpr l:
                return l.IsTuple ? new JinjaTuple(l.Items.Select(Eval)) : l.Items.Select(Eval).ToList();
            case DictExpr d:
            {
                var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (k, v) in d.Items)
                    dict[Eval(k) as string ?? throw new JinjaException("dict keys must be strings", d.Line)] = Eval(v);
                return dict;
            }
            case AttrExpr a:
                return JinjaMethods.GetAttribute(Eval(a.Target), a.Attr);
            case ItemExpr i:
                return JinjaMethods.GetItem(Eval(i.Target), Eval(i.Index), i.Line);
            case SliceExpr s:
                return Slice(Eval(s.Target), s.Start is null ? null : Eval(s.Start), s.Stop is null ? null : Eval(s.Stop), s.Step is null ? null : Eval(s.Step), s.Line);
            case CallExpr c:
            {
                var function = Eval(c.Function);
                if (function is not JinjaCallable callable)
                    throw new JinjaException($"'{Describe(c.Function)}' is not callable (it is {JinjaValues.TypeName(function)})", c.Line);
                return callable(c.Args.Select(Eval).ToList(), c.Kwargs.ToDictionary(k => k.Name, k => Eval(k.Value), StringComparer.Ordinal));
            }
            case FilterExpr f:
            {
                var args = new JinjaArgs(f.Name, f.Args.Select(Eval).ToList(), f.Kwargs.ToDictionary(k => k.Name, k => Eval(k.Value), StringComparer.Ordinal), f.Line);
                return JinjaFilters.Apply(f.Name, Eval(f.Value), args, JinjaIsTests.Apply);
            }
            case TestExpr t:
            {
                var args = new JinjaArgs(t.Name, t.Args.Select(Eval).ToList(), [], t.Line);
                return JinjaIsTests.Apply(t.Name, Eval(t.Value), args) != t.Negated;
            }
            case UnaryExpr u:
            {
                var v = Eval(u.Operand);
                return u.Op switch
                {
                    "not" => !JinjaValues.Truthy(v),
                    "-" => v is long l ? (object)(-l) : v is double d ? (object)(-d) : throw new JinjaException($"bad operand type for unary -: '{JinjaValues.TypeName(v)}'", u.Line),
                    _ => v,
                };
            }
            case BinaryExpr b:
                if (b.Op == "and")
                {
                    var left = Eval(b.Left);
                    return JinjaValues.Truthy(left) ? Eval(b.Right) : left;
                }
                if (b.Op == "or")
                {
                    var left = Eval(b.Left);
                    return JinjaValues.Truthy(left) ? left : Eval(b.Right);
                }
                return JinjaOperators.Binary(b.Op, Eval(b.Left), Eval(b.Right), b.Line);
            case ConditionalExpr c:
                return JinjaValues.Truthy(Eval(c.Condition)) ? Eval(c.Then) : c.Else is null ? JinjaUndefined.Instance : Eval(c.Else);
            default:
                throw new JinjaException($"cannot evaluate {expr.GetType().Name}", expr.Line);
        }
    }

    static string Describe(Expr e) => e switch
    {
        NameExpr n => n.Name,
        AttrExpr a => Describe(a.Target) + "." + a.Attr,
        _ => "expression",
    };

    /// <summary>Python slicing of lists and strings (by code point), negative indices and steps included.</summary>
    static object? Slice(object? target, object? start, object? stop, object? step, int line)
    {
        List<object?> items;
        var isString = target is string;
        if (target is string s)
            items = JinjaValues.CodePoints(s).Cast<object?>().ToList();
        else if (target is List<object?> l)
            items = l;
        else if (target is JinjaUndefined)
            return JinjaUndefined.Instance;
        else
            throw new JinjaException($"'{JinjaValues.TypeName(target)}' object is not subscriptable", line);

        long? Index(object? v) => v switch { null or JinjaUndefined => null, long i => i, bool b => b ? 1 : 0, _ => throw new JinjaException("slice indices must be integers", line) };
        var n = (long)items.Count;
        var st = Index(step) ?? 1;
        if (st == 0)
            throw new JinjaException("slice step cannot be zero", line);
        long Clamp(long? v, long dflt)
        {
            if (v is null)
                return dflt;
            var x = v.Value < 0 ? v.Value + n : v.Value;
            return st > 0 ? Math.Clamp(x, 0, n) : Math.Clamp(x, -1, n - 1);
        }
        var from = Clamp(Index(start), st > 0 ? 0 : n - 1);
        var to = Clamp(Index(stop), st > 0 ? n : -1);
        var result = new List<object?>();
        for (var i = from; st > 0 ? i < to : i > to; i += st)
            result.Add(items[(int)i]);
        return isString ? string.Concat(result.Cast<string>()) : result;
    }
}
