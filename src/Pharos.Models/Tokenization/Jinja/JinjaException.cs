// A chat-template error: an unsupported or malformed construct (with its template line) or a raise_exception() call.
using Pharos.Models.Errors;

namespace Pharos.Models.Tokenization.Jinja;

public sealed class JinjaException : PharosException
{
    public JinjaException(string message, int line) : base(line > 0 ? $"chat template line {line}: {message}" : message)
    {
        Line = line;
    }

    JinjaException(string message, bool raised) : base(message) => Raised = raised;

    /// <summary>The template line the error is on (1-based), or 0 when not known.</summary>
    public int Line { get; }

    /// <summary>True when the template itself called raise_exception(); the message is then exactly the template's.</summary>
    public bool Raised { get; }

    internal static JinjaException FromTemplate(string message) => new(message, raised: true);
}
