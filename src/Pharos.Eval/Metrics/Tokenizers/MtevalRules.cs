// The mteval-v13a punctuation rules shared by the 13a, zh and tercom tokenizers, each a left-to-right non-overlapping pass like re.sub.
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Metrics.Tokenizers;

/// <summary>
/// Each rule is one pass over spans: a pair rule looks at (s[i], s[i+1]); on a match it writes the replacement
/// and continues after the pair, exactly like re.sub's scan. UTF-16 units are safe here: every class is ASCII
/// except [^0-9], and a surrogate half never matches the ASCII side of a pair.
/// </summary>
internal static class MtevalRules
{
    // [{-~[-` -&(-+:-@/]: ASCII symbols and space, but not ' , - . or digits.
    static readonly bool[] Symbol = BuildSymbolTable();

    static bool[] BuildSymbolTable()
    {
        var t = new bool[128];
        for (var c = 0; c < 128; c++)
            t[c] = c is (>= '{' and <= '~') or (>= '[' and <= '`') or (>= ' ' and <= '&') or (>= '(' and <= '+') or (>= ':' and <= '@') or '/';
        return t;
    }

    static bool IsDigit(char c) => (uint)(c - '0') <= 9;

    static bool IsPeriodOrComma(char c) => c is '.' or ',';

    /// <summary>[{-~[-` -&amp;(-+:-@/] → " \1 ".</summary>
    public static void SeparateSymbols(ReadOnlySpan<char> src, ref CharBuffer dst)
    {
        var o = dst.Reserve(src.Length * 3);
        var symbol = Symbol;
        var n = 0;
        foreach (var c in src)
        {
            // A space would become three; later rules only see space runs through their last space and the
            // result is whitespace-collapsed, so one space is equivalent and leaves less text for the next passes.
            if (c == ' ')
                o[n++] = ' ';
            else if (c < 128 && symbol[c])
            {
                o[n++] = ' ';
                o[n++] = c;
                o[n++] = ' ';
            }
            else
                o[n++] = c;
        }
        dst.SetLength(n);
    }

    /// <summary>([^0-9])([\.,]) → "\1 \2 ".</summary>
    public static void PeriodCommaAfterNonDigit(ReadOnlySpan<char> src, ref CharBuffer dst)
    {
        if (src.IndexOfAny('.', ',') < 0)
        {
            Copy(src, ref dst);
            return;
        }
        var o = dst.Reserve(src.Length * 2);
        var n = 0;
        var i = 0;
        while (i < src.Length)
        {
            if (i + 1 < src.Length && !IsDigit(src[i]) && IsPeriodOrComma(src[i + 1]))
            {
                o[n++] = src[i];
                o[n++] = ' ';
                o[n++] = src[i + 1];
                o[n++] = ' ';
                i += 2;
            }
            else
                o[n++] = src[i++];
        }
        dst.SetLength(n);
    }

    /// <summary>([\.,])([^0-9]) → " \1 \2".</summary>
    public static void PeriodCommaBeforeNonDigit(ReadOnlySpan<char> src, ref CharBuffer dst)
    {
        if (src.IndexOfAny('.', ',') < 0)
        {
            Copy(src, ref dst);
            return;
        }
        var o = dst.Reserve(src.Length * 2);
        var n = 0;
        var i = 0;
        while (i < src.Length)
        {
            if (i + 1 < src.Length && IsPeriodOrComma(src[i]) && !IsDigit(src[i + 1]))
            {
                o[n++] = ' ';
                o[n++] = src[i];
                o[n++] = ' ';
                o[n++] = src[i + 1];
                i += 2;
            }
            else
                o[n++] = src[i++];
        }
        dst.SetLength(n);
    }

    /// <summary>([0-9])(-) → "\1 \2 ".</summary>
    public static void DashAfterDigit(ReadOnlySpan<char> src, ref CharBuffer dst)
    {
        if (!src.Contains('-'))
        {
            Copy(src, ref dst);
            return;
        }
        var o = dst.Reserve(src.Length * 2);
        var n = 0;
        var i = 0;
        while (i < src.Length)
        {
            if (i + 1 < src.Length && IsDigit(src[i]) && src[i + 1] == '-')
            {
                o[n++] = src[i];
                o[n++] = ' ';
                o[n++] = '-';
                o[n++] = ' ';
                i += 2;
            }
            else
                o[n++] = src[i++];
        }
        dst.SetLength(n);
    }

    static void Copy(ReadOnlySpan<char> src, ref CharBuffer dst)
    {
        src.CopyTo(dst.Reserve(src.Length));
        dst.SetLength(src.Length);
    }

    /// <summary>The four rules and the whitespace collapse on text already in `a`; the result is left in `a`.</summary>
    public static void ApplyInPlace(ref CharBuffer a, ref CharBuffer b)
    {
        SeparateSymbols(a.Span, ref b);
        PeriodCommaAfterNonDigit(b.Span, ref a);
        PeriodCommaBeforeNonDigit(a.Span, ref b);
        DashAfterDigit(b.Span, ref a);
        PythonText.CollapseWhitespace(a.Span, ref b);
        var result = b.Span;
        result.CopyTo(a.Reserve(result.Length));
        a.SetLength(result.Length);
    }

    /// <summary>sacrebleu's TokenizerRegexp: the four rules, then whitespace collapsed.</summary>
    public static string Apply(ReadOnlySpan<char> line)
    {
        var a = new CharBuffer(line.Length * 3 + 8);
        var b = new CharBuffer(line.Length * 3 + 8);
        try
        {
            SeparateSymbols(line, ref a);
            PeriodCommaAfterNonDigit(a.Span, ref b);
            PeriodCommaBeforeNonDigit(b.Span, ref a);
            DashAfterDigit(a.Span, ref b);
            PythonText.CollapseWhitespace(b.Span, ref a);
            return a.ToString();
        }
        finally
        {
            a.Dispose();
            b.Dispose();
        }
    }
}
