// A tokenizer file (tokenizer.json, tokenizer_config.json) that is missing or malformed; the message names the file and the field.
using Pharos.Models.Errors;

namespace Pharos.Models.Tokenization;

public sealed class InvalidTokenizerException : PharosException
{
    public InvalidTokenizerException(string message) : base(message) { }
    public InvalidTokenizerException(string message, Exception inner) : base(message, inner) { }
}
