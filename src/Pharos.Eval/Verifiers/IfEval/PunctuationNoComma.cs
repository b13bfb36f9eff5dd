// IFEval punctuation:no_comma — the response contains no ASCII comma.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class PunctuationNoComma(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "punctuation:no_comma";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args) => text =>
    {
        int count = text.Count(c => c == ',');
        return Of(count == 0, count == 0 ? "no commas" : $"{count} commas");
    };
}
