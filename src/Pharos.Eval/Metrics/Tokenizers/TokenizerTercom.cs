// sacrebleu's Tercom tokenizer for TER: optional lowercasing, Western (and Asian) normalisation and punctuation removal.
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Metrics.Tokenizers;

public sealed class TokenizerTercom
{
    readonly bool _normalized;
    readonly bool _noPunct;
    readonly bool _asianSupport;
    readonly bool _caseSensitive;

    public TokenizerTercom(bool normalized = false, bool noPunct = false, bool asianSupport = false, bool caseSensitive = false)
    {
        _normalized = normalized;
        _noPunct = noPunct;
        _asianSupport = asianSupport;
        _caseSensitive = caseSensitive;
    }

    public string Signature => "tercom";

    public string Tokenize(string sent)
    {
        if (sent.Length == 0)
            return "";
        if (!_caseSensitive)
            sent = PythonText.Lower(sent);
        var a = new CharBuffer(sent.Length * 3 + 8);
        var b = new CharBuffer(sent.Length * 3 + 8);
        try
        {
            a.Append(sent);
            if (_normalized)
            {
                NormalizeGeneralAndWestern(ref a, ref b);
                if (_asianSupport)
                    NormalizeAsian(ref a, ref b);
            }
            if (_noPunct)
            {
                Remove(ref a, ref b, static c => c is '.' or ',' or '?' or ':' or ';' or '!' or '"' or '(' or ')');
                if (_asianSupport)
                    Remove(ref a, ref b, static c => IsAsianPunct(c) || IsFullWidthPunct(c));
            }
            PythonText.CollapseWhitespace(a.Span, ref b);
            return b.ToString();
        }
        finally
        {
            a.Dispose();
            b.Dispose();
        }
    }

    // Result is left in `a`.
    static void NormalizeGeneralAndWestern(ref CharBuffer a, ref CharBuffer b)
    {
        var s = a.Span.ToString()
            .Replace("\n-", "", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal)
            .Replace("&quot;", "\"", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal)
            .Replace("&lt;", "<", StringComparison.Ordinal)
            .Replace("&gt;", ">", StringComparison.Ordinal);
        s = string.Concat(" ", s, " ");
        MtevalRules.SeparateSymbols(s, ref b);
        // Possessives: "'s " → " 's ". The "'s$" rule can never fire: the padded text ends in a space.
        var possessive = b.Span.ToString().Replace("'s ", " 's ", StringComparison.Ordinal);
        MtevalRules.PeriodCommaAfterNonDigit(possessive, ref a);
        MtevalRules.PeriodCommaBeforeNonDigit(a.Span, ref b);
        MtevalRules.DashAfterDigit(b.Span, ref a);
    }

    // The Hiragana/Katakana rules of sacrebleu are anchored with ^ inside the alternatives and never match
    // after the Western step padded the text with a space, so only the splitting rules below have an effect.
    static void NormalizeAsian(ref CharBuffer a, ref CharBuffer b)
    {
        b.Clear();
        foreach (var c in a.Span)
        {
            if (IsSplitCjk(c) || IsAsianPunct(c) || IsFullWidthPunct(c))
            {
                b.Append(' ');
                b.Append(c);
                b.Append(' ');
            }
            else
                b.Append(c);
        }
        a.Clear();
        a.Append(b.Span);
    }

    static bool IsSplitCjk(char c) => c is (>= '\u4e00' and <= '\u9fff') or (>= '\u3400' and <= '\u4dbf')
        or (>= '\u31c0' and <= '\u31ef') or (>= '\u2e80' and <= '\u2eff')
        or (>= '\u3300' and <= '\u33ff') or (>= '\uf900' and <= '\ufaff') or (>= '\ufe30' and <= '\ufe4f')
        or (>= '\u3200' and <= '\u3f22');

    static bool IsAsianPunct(char c) => c is '\u3001' or '\u3002' or (>= '\u3008' and <= '\u3011') or (>= '\u3014' and <= '\u301f')
        or (>= '\uff61' and <= '\uff65') or '\u30fb';

    static bool IsFullWidthPunct(char c) => c is '\uff0e' or '\uff0c' or '\uff1f' or '\uff1a' or '\uff1b' or '\uff01' or '\uff02' or '\uff08' or '\uff09';

    static void Remove(ref CharBuffer a, ref CharBuffer b, Func<char, bool> drop)
    {
        b.Clear();
        foreach (var c in a.Span)
            if (!drop(c))
                b.Append(c);
        a.Clear();
        a.Append(b.Span);
    }
}
