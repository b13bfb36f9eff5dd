// IFEval startend:quotation — the whole response is wrapped in double quotation marks.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class StartEndQuotation(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "startend:quotation";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args) => text =>
    {
        var value = PyText.Strip(text);
        bool ok = value.Length > 1 && value[0] == '"' && value[^1] == '"';
        return Of(ok, ok ? "wrapped in double quotes" : "not wrapped in double quotes");
    };
}
