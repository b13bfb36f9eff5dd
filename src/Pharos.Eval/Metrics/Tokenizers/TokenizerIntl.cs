// sacrebleu's `intl` tokenizer (mteval-v14 international): splits Unicode punctuation unless between digits, and every symbol.
using System.Text;
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Metrics.Tokenizers;

public sealed class TokenizerIntl : ITokenizer
{
    public string Signature => "intl";

    public string Tokenize(string line)
    {
        var a = new CharBuffer(line.Length * 2 + 8);
        var b = new CharBuffer(line.Length * 2 + 8);
        try
        {
            // (\P{N})(\p{P}) → "\1 \2 "
            PairPass(line, ref a, firstIsPunct: false);
            // (\p{P})(\P{N}) → " \1 \2"
            PairPass(a.Span, ref b, firstIsPunct: true);
            // (\p{S}) → " \1 "
            a.Clear();
            var s = b.Span;
            for (var i = 0; i < s.Length;)
            {
                var width = Read(s, i, out var cp);
                if (UnicodeData.Kind(cp) == UnicodeData.Symbol)
                {
                    a.Append(' ');
                    a.Append(s.Slice(i, width));
                    a.Append(' ');
                }
                else
                    a.Append(s.Slice(i, width));
                i += width;
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

    // Code points, not UTF-16 units: emoji and other astral symbols are \p{S} too.
    static void PairPass(ReadOnlySpan<char> s, ref CharBuffer dst, bool firstIsPunct)
    {
        dst.Clear();
        var i = 0;
        while (i < s.Length)
        {
            var w1 = Read(s, i, out var c1);
            if (i + w1 < s.Length)
            {
                var w2 = Read(s, i + w1, out var c2);
                var k1 = UnicodeData.Kind(c1);
                var k2 = UnicodeData.Kind(c2);
                var match = firstIsPunct
                    ? k1 == UnicodeData.Punctuation && k2 != UnicodeData.Number
                    : k1 != UnicodeData.Number && k2 == UnicodeData.Punctuation;
                if (match)
                {
                    if (firstIsPunct)
                        dst.Append(' ');
                    dst.Append(s.Slice(i, w1));
                    dst.Append(' ');
                    dst.Append(s.Slice(i + w1, w2));
                    if (!firstIsPunct)
                        dst.Append(' ');
                    i += w1 + w2;
                    continue;
                }
            }
            dst.Append(s.Slice(i, w1));
            i += w1;
        }
    }

    static int Read(ReadOnlySpan<char> s, int i, out int cp)
    {
        var c = s[i];
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            cp = char.ConvertToUtf32(c, s[i + 1]);
            return 2;
        }
        cp = c;
        return 1;
    }
}
