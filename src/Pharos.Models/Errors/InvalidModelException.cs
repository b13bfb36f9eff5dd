// A model folder, config.json or weight that cannot be used; the message names the file and the field or tensor.
namespace Pharos.Models.Errors;

public sealed class InvalidModelException : PharosException
{
    public InvalidModelException(string message) : base(message) { }
    public InvalidModelException(string message, Exception inner) : base(message, inner) { }
}
