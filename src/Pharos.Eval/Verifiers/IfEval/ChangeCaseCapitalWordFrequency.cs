// IFEval change_case:capital_word_frequency — number of ALL-CAPS words (nltk word tokens) against a threshold.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class ChangeCaseCapitalWordFrequency(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "change_case:capital_word_frequency";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        int frequency = VerifierArgs.Int(Id, args, "capital_frequency");
        var relation = VerifierArgs.Relation(Id, args, "capital_relation");
        return text =>
        {
            int count = TreebankWordTokenizer.Tokenize(text).Count(PyText.IsUpper);
            return Of(relation.Holds(count, frequency), $"{count} all-capital words; required {relation.Text()} {frequency}");
        };
    }
}
