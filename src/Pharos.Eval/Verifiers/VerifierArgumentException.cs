// Bad verifier configuration: a missing or mistyped argument; the message names the verifier (and item) and argument.
using Pharos.Models.Errors;

namespace Pharos.Eval.Verifiers;

public sealed class VerifierArgumentException : PharosException
{
    public VerifierArgumentException(string verifierId, string argument, string problem, string? item = null)
        : base($"{(item is null ? "" : item + ": ")}verifier '{verifierId}': argument '{argument}' {problem}")
    {
        VerifierId = verifierId;
        Argument = argument;
        Problem = problem;
        Item = item;
    }

    public string Problem { get; }

    /// <summary>The benchmark item or dataset record the arguments came from, when known (e.g. "prompt 1001").</summary>
    public string? Item { get; }

    /// <summary>The same error, naming the item it happened in.</summary>
    public VerifierArgumentException ForItem(string item) => new(VerifierId, Argument, Problem, item);

    public string VerifierId { get; }
    public string Argument { get; }
}
