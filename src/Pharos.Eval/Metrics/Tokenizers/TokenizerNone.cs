// sacrebleu's `none` tokenizer: the segment is used as is (for pre-tokenized input).
namespace Pharos.Eval.Metrics.Tokenizers;

public sealed class TokenizerNone : ITokenizer
{
    public string Signature => "none";

    public string Tokenize(string line) => line;
}
