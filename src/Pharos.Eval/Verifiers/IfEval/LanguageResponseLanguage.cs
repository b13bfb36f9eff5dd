// IFEval language:response_language — the whole response is in the given language (ISO 639-1 code).
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers.LanguageId;

namespace Pharos.Eval.Verifiers.IfEval;

/// <summary>
/// Google's code asks langdetect; we ask an <see cref="ILanguageIdentifier"/> (a script and stopword heuristic by
/// default). Like Google's, a text without any evidence (no letters) passes.
/// </summary>
public sealed class LanguageResponseLanguage(IfEvalMode mode, ILanguageIdentifier? identifier = null) : IfEvalInstruction(mode)
{
    readonly ILanguageIdentifier _identifier = identifier ?? HeuristicLanguageIdentifier.Instance;

    public override string Id => "language:response_language";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        var language = VerifierArgs.String(Id, args, "language");
        return text =>
        {
            var detected = _identifier.Identify(text);
            if (detected is null) return Pass("no language evidence in the text");
            return Of(detected == language, $"detected '{detected}', required '{language}'");
        };
    }
}
