// IFEval combination:two_responses — exactly two different responses separated by six asterisks (******).
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class CombinationTwoResponses(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "combination:two_responses";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args) => text =>
    {
        var parts = text.Split("******");
        var valid = new List<string>();
        for (int i = 0; i < parts.Length; i++)
        {
            if (PyText.Strip(parts[i]).Length > 0) valid.Add(parts[i]);
            else if (i != 0 && i != parts.Length - 1) return Fail($"empty response between separators (piece {i + 1})");
        }
        if (valid.Count != 2) return Fail($"{valid.Count} responses separated by ******; required 2");
        return PyText.Strip(valid[0]) != PyText.Strip(valid[1]) ? Pass("two different responses") : Fail("two responses, but identical");
    };
}
