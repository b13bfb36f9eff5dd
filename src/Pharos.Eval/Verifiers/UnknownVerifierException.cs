// An instruction or verifier id that no registry knows; the message names the id and, when given, the item.
using Pharos.Models.Errors;

namespace Pharos.Eval.Verifiers;

public sealed class UnknownVerifierException : PharosException
{
    public UnknownVerifierException(string id, string? item = null)
        : base(item is null ? $"unknown verifier id '{id}'" : $"{item}: unknown verifier id '{id}'")
    {
        Id = id;
    }

    public string Id { get; }
}
