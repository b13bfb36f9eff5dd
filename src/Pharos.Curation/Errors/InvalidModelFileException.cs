// A fastText model file that cannot be read (bad magic, unsupported version or layout, truncated).
namespace Pharos.Curation.Errors;

public sealed class InvalidModelFileException : CurationException
{
    public InvalidModelFileException(string message) : base(message) { }
    public InvalidModelFileException(string message, Exception inner) : base(message, inner) { }
}
