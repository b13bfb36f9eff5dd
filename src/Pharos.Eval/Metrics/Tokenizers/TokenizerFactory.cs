// Maps a `--tokenize` name to its tokenizer; unknown names are an input error listing the supported ones.
using Pharos.Eval.Errors;

namespace Pharos.Eval.Metrics.Tokenizers;

public static class TokenizerFactory
{
    public static readonly IReadOnlyList<string> Names = ["13a", "intl", "zh", "char", "none"];

    public static ITokenizer Create(string name) => name switch
    {
        "13a" => new Tokenizer13a(),
        "intl" => new TokenizerIntl(),
        "zh" => new TokenizerZh(),
        "char" => new TokenizerChar(),
        "none" => new TokenizerNone(),
        _ => throw new InvalidInputException($"unknown tokenizer '{name}' (supported: {string.Join(", ", Names)}; ja-mecab, ko-mecab and spm are not available)"),
    };
}
