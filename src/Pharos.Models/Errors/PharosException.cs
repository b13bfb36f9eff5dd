// Base of every expected failure (bad input, bad config): the CLI prints its message as one line.
namespace Pharos.Models.Errors;

public class PharosException : Exception
{
    public PharosException(string message) : base(message) { }
    public PharosException(string message, Exception inner) : base(message, inner) { }
}
