// sacrebleu's default `13a` tokenizer (mteval-v13a.pl): unescapes a few XML entities, then the mteval punctuation rules.
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Metrics.Tokenizers;

public sealed class Tokenizer13a : ITokenizer, IBufferTokenizer
{
    public string Signature => "13a";

    public string Tokenize(string line)
    {
        var a = new CharBuffer(line.Length * 3 + 8);
        var b = new CharBuffer(line.Length * 3 + 8);
        try
        {
            Tokenize(line, ref a, ref b);
            return a.ToString();
        }
        finally
        {
            a.Dispose();
            b.Dispose();
        }
    }

    public void Tokenize(string line, ref CharBuffer output, ref CharBuffer scratch)
    {
        // The replacements only matter when one of their first characters occurs; most lines skip them.
        if (line.AsSpan().IndexOfAny('<', '\n', '&') >= 0)
        {
            line = line.Replace("<skipped>", "", StringComparison.Ordinal)
                .Replace("-\n", "", StringComparison.Ordinal)
                .Replace('\n', ' ');
            if (line.Contains('&'))
            {
                line = line.Replace("&quot;", "\"", StringComparison.Ordinal)
                    .Replace("&amp;", "&", StringComparison.Ordinal)
                    .Replace("&lt;", "<", StringComparison.Ordinal)
                    .Replace("&gt;", ">", StringComparison.Ordinal);
            }
        }
        // The padding spaces let a sentence-final period be split off (the zh tokenizer does not pad).
        var o = output.Reserve(line.Length + 2);
        o[0] = ' ';
        line.CopyTo(o[1..]);
        o[line.Length + 1] = ' ';
        output.SetLength(line.Length + 2);
        MtevalRules.ApplyInPlace(ref output, ref scratch);
    }
}
