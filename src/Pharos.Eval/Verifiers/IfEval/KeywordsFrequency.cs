// IFEval keywords:frequency — how often a keyword occurs (case-insensitive), "less than" or "at least" N times.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class KeywordsFrequency(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "keywords:frequency";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        var keyword = PyText.Strip(VerifierArgs.String(Id, args, "keyword"));
        int frequency = VerifierArgs.Int(Id, args, "frequency");
        var relation = VerifierArgs.Relation(Id, args, "relation");
        var pattern = IfEvalRegex.Pattern(keyword, ignoreCase: true);
        return text =>
        {
            int count = pattern.Count(text);
            return Of(relation.Holds(count, frequency),
                $"'{keyword}' occurs {count} times; required {relation.Text()} {frequency}");
        };
    }
}
