// IFEval length_constraints:number_sentences — Punkt sentence count "less than" or "at least" N.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class LengthNumberSentences(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "length_constraints:number_sentences";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        int threshold = VerifierArgs.Int(Id, args, "num_sentences");
        var relation = VerifierArgs.Relation(Id, args, "relation");
        return text =>
        {
            int count = PunktSentenceSplitter.Count(text);
            return Of(relation.Holds(count, threshold), $"{count} sentences; required {relation.Text()} {threshold}");
        };
    }
}
