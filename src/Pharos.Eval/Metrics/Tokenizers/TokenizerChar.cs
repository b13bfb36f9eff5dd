// sacrebleu's `char` tokenizer: every code point (spaces included) becomes a token, joined by single spaces.
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Metrics.Tokenizers;

public sealed class TokenizerChar : ITokenizer
{
    public string Signature => "char";

    public string Tokenize(string line)
    {
        var buffer = new CharBuffer(line.Length * 2 + 2);
        try
        {
            for (var i = 0; i < line.Length; i++)
            {
                if (i > 0)
                    buffer.Append(' ');
                buffer.Append(line[i]);
                // A surrogate pair is one Python character: keep its halves together.
                if (char.IsHighSurrogate(line[i]) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1]))
                    buffer.Append(line[++i]);
            }
            return buffer.ToString();
        }
        finally
        {
            buffer.Dispose();
        }
    }
}
