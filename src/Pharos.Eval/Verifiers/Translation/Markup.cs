// Verifier translation:markup — HTML tags, Markdown code spans, link targets and bold/italic markers survive translation.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.Translation;

/// <summary>Arguments: <c>source</c> (required). Tag order may change (languages reorder words); tag names, href/src, code and URLs may not.</summary>
public sealed class Markup : IVerifier
{
    public string Id => "translation:markup";

    public Verdict Check(string prompt, string response, JsonObject args)
    {
        var source = VerifierArgs.String(Id, args, "source");
        return SpanComparison.Compare(ProtectedSpans.Markup(source), ProtectedSpans.Markup(response), "markup elements");
    }
}
