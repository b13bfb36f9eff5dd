// Check with an item name: argument errors then say which benchmark item or dataset record they came from.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers;

public static class VerifierExtensions
{
    /// <summary>Like <see cref="IVerifier.Check"/>, but a <see cref="VerifierArgumentException"/> names <paramref name="item"/>.</summary>
    public static Verdict Check(this IVerifier verifier, string item, string prompt, string response, JsonObject args)
    {
        try
        {
            return verifier.Check(prompt, response, args);
        }
        catch (VerifierArgumentException e) when (e.Item is null)
        {
            throw e.ForItem(item);
        }
    }
}
