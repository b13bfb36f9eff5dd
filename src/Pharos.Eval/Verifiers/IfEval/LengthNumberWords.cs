// IFEval length_constraints:number_words — count of \w+ runs "less than" or "at least" N.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class LengthNumberWords(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "length_constraints:number_words";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        int threshold = VerifierArgs.Int(Id, args, "num_words");
        var relation = VerifierArgs.Relation(Id, args, "relation");
        return text =>
        {
            int count = PyText.CountWords(text);
            return Of(relation.Holds(count, threshold), $"{count} words; required {relation.Text()} {threshold}");
        };
    }
}
