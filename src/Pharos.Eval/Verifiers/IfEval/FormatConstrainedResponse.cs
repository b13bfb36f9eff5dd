// IFEval detectable_format:constrained_response — the answer contains one of "My answer is yes./no./maybe.".
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class FormatConstrainedResponse(IfEvalMode mode) : IfEvalInstruction(mode)
{
    static readonly string[] Options = ["My answer is yes.", "My answer is no.", "My answer is maybe."];

    public override string Id => "detectable_format:constrained_response";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args) => text =>
    {
        var stripped = PyText.Strip(text);
        var found = Options.FirstOrDefault(o => stripped.Contains(o, StringComparison.Ordinal));
        return found is not null ? Pass($"contains \"{found}\"") : Fail("none of the allowed answers (My answer is yes./no./maybe.)");
    };
}
