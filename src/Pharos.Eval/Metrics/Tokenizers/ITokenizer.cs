// A BLEU tokenizer: maps a segment to a space-separated token string, as sacrebleu's tokenizers do.
namespace Pharos.Eval.Metrics.Tokenizers;

public interface ITokenizer
{
    /// <summary>The name in signatures (`tok:13a`).</summary>
    string Signature { get; }

    string Tokenize(string line);
}
