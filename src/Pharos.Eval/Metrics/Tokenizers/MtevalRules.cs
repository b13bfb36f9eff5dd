// The mteval-v13a punctuation rules shared by the 13a, zh and tercom tokenizers, each a left-to-right non-overlapping pass like re.sub.
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Metrics.Tokenizers;

internal static class MtevalRules
{
    /// <summary>[{-~[-` -&amp;(-+:-@/] → " \1 ": ASCII symbols and space, but not ' , - . or digits.</summary>
    public static void SeparateSymbols(ReadOnlySpan<char> src, ref CharBuffer dst)
    {
        dst.Clear();
        foreach (var c in src)
        {
            if (IsSymbol(c))
            {
                dst.Append(' ');
                dst.Append(c);
                dst.Append(' ');
            }
            else
                dst.Append(c);
        }
    }

    static bool IsSymbol(char c) =>
        c is (>= '{' and <= '~') or (>= '[' and <= '`') or (>= ' ' and <= '&') or (>= '(' and <= '+') or (>= ':' and <= '@') or '/';

    static bool IsDigit(char c) => c is >= '0' and <= '9';

    static bool IsPeriodOrComma(char c) => c is '.' or ',';

    /// <summary>([^0-9])([\.,]) → "\1 \2 ".</summary>
    public static void PeriodCommaAfterNonDigit(ReadOnlySpan<char> src, ref CharBuffer dst)
    {
        dst.Clear();
        var i = 0;
        while (i < src.Length)
        {
            if (i + 1 < src.Length && !IsDigit(src[i]) && IsPeriodOrComma(src[i + 1]))
            {
                dst.Append(src[i]);
                dst.Append(' ');
                dst.Append(src[i + 1]);
                dst.Append(' ');
                i += 2;
            }
            else
                dst.Append(src[i++]);
        }
    }

    /// <summary>([\.,])([^0-9]) → " \1 \2".</summary>
    public static void PeriodCommaBeforeNonDigit(ReadOnlySpan<char> src, ref CharBuffer dst)
    {
        dst.Clear();
        var i = 0;
        while (i < src.Length)
        {
            if (i + 1 < src.Length && IsPeriodOrComma(src[i]) && !IsDigit(src[i + 1]))
            {
                dst.Append(' ');
                dst.Append(src[i]);
                dst.Append(' ');
                dst.Append(src[i + 1]);
                i += 2;
            }
            else
                dst.Append(src[i++]);
        }
    }

    /// <summary>([0-9])(-) → "\1 \2 ".</summary>
    public static void DashAfterDigit(ReadOnlySpan<char> src, ref CharBuffer dst)
    {
        dst.Clear();
        var i = 0;
        while (i < src.Length)
        {
            if (i + 1 < src.Length && IsDigit(src[i]) && src[i + 1] == '-')
            {
                dst.Append(src[i]);
                dst.Append(' ');
                dst.Append('-');
                dst.Append(' ');
                i += 2;
            }
            else
                dst.Append(src[i++]);
        }
    }

    /// <summary>sacrebleu's TokenizerRegexp: the four rules, then whitespace collapsed.</summary>
    public static string Apply(ReadOnlySpan<char> line)
    {
        var a = new CharBuffer(line.Length * 2 + 8);
        var b = new CharBuffer(line.Length * 2 + 8);
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
