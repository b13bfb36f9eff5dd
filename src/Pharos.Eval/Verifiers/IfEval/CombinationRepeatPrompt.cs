// IFEval combination:repeat_prompt — the response starts by repeating the given request (case-insensitive).
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class CombinationRepeatPrompt(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "combination:repeat_prompt";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        var toRepeat = PyText.Strip(VerifierArgs.String(Id, args, "prompt_to_repeat")).ToLowerInvariant();
        return text => PyText.Strip(text).ToLowerInvariant().StartsWith(toRepeat, StringComparison.Ordinal)
            ? Pass("response starts with the request repeated word for word")
            : Fail("response does not start with the request repeated word for word");
    }
}
