// Base of every expected curation failure (bad input, bad recipe, bad model file): the CLI prints its message as one line.
namespace Pharos.Curation.Errors;

public class CurationException : Exception
{
    public CurationException(string message) : base(message) { }
    public CurationException(string message, Exception inner) : base(message, inner) { }
}
