// IFEval startend:end_checker — the response ends with the exact phrase (case-insensitive, ignoring a closing quote).
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class StartEndEndChecker(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "startend:end_checker";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        var phrase = PyText.Strip(VerifierArgs.String(Id, args, "end_phrase")).ToLowerInvariant();
        return text =>
        {
            var value = PyText.Strip(text).Trim('"').ToLowerInvariant();
            return value.EndsWith(phrase, StringComparison.Ordinal) ? Pass($"ends with '{phrase}'") : Fail($"does not end with '{phrase}'");
        };
    }
}
