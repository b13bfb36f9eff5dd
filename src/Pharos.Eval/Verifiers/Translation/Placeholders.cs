// Verifier translation:placeholders — every format placeholder of the source ({0}, %s, %1$s, {{name}}) is in the target, unchanged.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.Translation;

/// <summary>Arguments: <c>source</c> (required). Placeholders inside `code` spans are ignored (code is checked by translation:markup).</summary>
public sealed class Placeholders : IVerifier
{
    public string Id => "translation:placeholders";

    public Verdict Check(string prompt, string response, JsonObject args)
    {
        var source = VerifierArgs.String(Id, args, "source");
        return SpanComparison.Compare(ProtectedSpans.Placeholders(source), ProtectedSpans.Placeholders(response), "placeholders");
    }
}
