// Bad verifier configuration: a missing or mistyped argument; the message names the verifier (and item) and argument.
using Pharos.Models.Errors;

namespace Pharos.Eval.Verifiers;

public sealed class VerifierArgumentException : PharosException
{
    public VerifierArgumentException(string verifierId, string argument, string problem)
        : base($"verifier '{verifierId}': argument '{argument}' {problem}")
    {
        VerifierId = verifierId;
        Argument = argument;
    }

    public string VerifierId { get; }
    public string Argument { get; }
}
