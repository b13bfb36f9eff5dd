// IFEval change_case:english_capital — the response is English and entirely in capital letters.
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers.LanguageId;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class ChangeCaseEnglishCapital(IfEvalMode mode, ILanguageIdentifier? identifier = null) : IfEvalInstruction(mode)
{
    readonly ILanguageIdentifier _identifier = identifier ?? HeuristicLanguageIdentifier.Instance;

    public override string Id => "change_case:english_capital";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args) => text =>
    {
        if (!PyText.IsUpper(text)) return Fail("not all letters are capitals");
        var language = _identifier.Identify(text);
        // As in Google's code, a text whose language cannot be determined is given the benefit of the doubt.
        return language is null or "en" ? Pass("all capitals, English") : Fail($"all capitals, but language is '{language}'");
    };
}
