// sacrebleu's default `13a` tokenizer (mteval-v13a.pl): unescapes a few XML entities, then the mteval punctuation rules.
namespace Pharos.Eval.Metrics.Tokenizers;

public sealed class Tokenizer13a : ITokenizer
{
    public string Signature => "13a";

    public string Tokenize(string line)
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
        // The padding spaces let a sentence-final period be split off (the zh tokenizer does not pad).
        return MtevalRules.Apply(string.Concat(" ", line, " "));
    }
}
