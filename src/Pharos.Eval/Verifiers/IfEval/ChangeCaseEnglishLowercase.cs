// IFEval change_case:english_lowercase — the response is English and entirely in lowercase letters.
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers.LanguageId;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class ChangeCaseEnglishLowercase(IfEvalMode mode, ILanguageIdentifier? identifier = null) : IfEvalInstruction(mode)
{
    readonly ILanguageIdentifier _identifier = identifier ?? HeuristicLanguageIdentifier.Instance;

    public override string Id => "change_case:english_lowercase";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args) => text =>
    {
        if (!PyText.IsLower(text)) return Fail("not all letters are lowercase");
        var language = _identifier.Identify(text);
        return language is null or "en" ? Pass("all lowercase, English") : Fail($"all lowercase, but language is '{language}'");
    };
}
