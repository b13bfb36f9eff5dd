// A tokenizer that writes into caller-owned buffers, so BLEU can split tokens without an intermediate string per segment.
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Metrics.Tokenizers;

internal interface IBufferTokenizer
{
    /// <summary>Tokenizes `line` into `output` (`scratch` is working space); same result as <see cref="ITokenizer.Tokenize"/>.</summary>
    void Tokenize(string line, ref CharBuffer output, ref CharBuffer scratch);
}
