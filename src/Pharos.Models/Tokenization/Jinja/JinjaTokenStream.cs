// A cursor over the tokens of one {{ }} or {% %} tag, with expect/accept helpers that report the line.
namespace Pharos.Models.Tokenization.Jinja;

/// <summary>A cursor over one tag's tokens.</summary>
internal sealed class TokenStream(List<JinjaToken> tokens)
{
    int _pos;

    public JinjaToken Peek(int ahead = 0) => tokens[Math.Min(_pos + ahead, tokens.Count - 1)];

    public JinjaToken Next()
    {
        var t = Peek();
        if (_pos < tokens.Count - 1)
            _pos++;
        return t;
    }

    public bool Accept(string op)
    {
        if (!Peek().Is(op))
            return false;
        _pos++;
        return true;
    }

    public bool AcceptName(string name)
    {
        if (!Peek().IsName(name))
            return false;
        _pos++;
        return true;
    }

    public JinjaToken Expect(string op)
    {
        var t = Next();
        return t.Is(op) ? t : throw new JinjaException($"expected '{op}', found {t}", t.Line);
    }

    public string ExpectName()
    {
        var t = Next();
        return t.Kind == JinjaTokenKind.Name ? t.Text : throw new JinjaException($"expected a name, found {t}", t.Line);
    }

    public void ExpectEnd()
    {
        var t = Peek();
        if (t.Kind != JinjaTokenKind.End)
            throw new JinjaException($"unexpected {t}", t.Line);
    }
}
