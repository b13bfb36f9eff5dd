// Evaluation input that cannot be scored (mismatched line counts, invalid UTF-8, bad options); the message names the file and line.
using Pharos.Models.Errors;

namespace Pharos.Eval.Errors;

public sealed class InvalidInputException : PharosException
{
    public InvalidInputException(string message) : base(message) { }
    public InvalidInputException(string message, Exception inner) : base(message, inner) { }
}
