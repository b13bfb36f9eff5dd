// sacrebleu's `zh` tokenizer: spaces around every character in its CJK ranges, then the mteval punctuation rules.
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Metrics.Tokenizers;

public sealed class TokenizerZh : ITokenizer
{
    public string Signature => "zh";

    public string Tokenize(string line)
    {
        var s = PythonText.Strip(line);
        var buffer = new CharBuffer(s.Length * 3 + 8);
        try
        {
            foreach (var c in s)
            {
                if (IsChineseChar(c))
                {
                    buffer.Append(' ');
                    buffer.Append(c);
                    buffer.Append(' ');
                }
                else
                    buffer.Append(c);
            }
            return MtevalRules.Apply(buffer.Span);
        }
        finally
        {
            buffer.Dispose();
        }
    }

    /// <summary>
    /// sacrebleu's ranges, compared as Python strings. Two of them are written as '\u20000'-'\u2a6d6' and
    /// '\u2f800'-'\u2fa1d', which Python reads as two-character strings, so they really cover U+2001..U+2A6D
    /// (general punctuation such as — … “ ” and € included) and U+2F81..U+2FA1, and no astral character is ever
    /// matched (the listed U+2600..U+27BF blocks fall inside the first). Reproduced on purpose: it is what every published sacrebleu zh score used.
    /// </summary>
    internal static bool IsChineseChar(char c) => c switch
    {
        >= '\u3400' and <= '\u4db5' => true,
        >= '\u4e00' and <= '\u9fbb' => true,
        >= '\uf900' and <= '\ufa2d' => true,
        >= '\ufa30' and <= '\ufa6a' => true,
        >= '\ufa70' and <= '\ufad9' => true,
        >= '\u2001' and <= '\u2a6d' => true,
        >= '\u2f81' and <= '\u2fa1' => true,
        >= '\uff00' and <= '\uffef' => true,
        >= '\u2e80' and <= '\u2eff' => true,
        >= '\u3000' and <= '\u303f' => true,
        >= '\u31c0' and <= '\u31ef' => true,
        >= '\u2f00' and <= '\u2fdf' => true,
        >= '\u2ff0' and <= '\u2fff' => true,
        >= '\u3100' and <= '\u312f' => true,
        >= '\u31a0' and <= '\u31bf' => true,
        >= '\ufe10' and <= '\ufe1f' => true,
        >= '\ufe30' and <= '\ufe4f' => true,
        >= '\u3200' and <= '\u32ff' => true,
        >= '\u3300' and <= '\u33ff' => true,
        _ => false,
    };
}
