// The one shape every verifier has: (prompt, response, arguments) → Verdict; eval and GRPO rewards share it.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers;

/// <summary>Checks one constraint on a response. Implementations are stateless and thread-safe.</summary>
public interface IVerifier
{
    /// <summary>Stable id, e.g. <c>keywords:existence</c> or <c>translation:glossary</c>.</summary>
    string Id { get; }

    /// <summary>Scores <paramref name="response"/>; throws <see cref="VerifierArgumentException"/> for bad arguments.</summary>
    Verdict Check(string prompt, string response, JsonObject args);
}
