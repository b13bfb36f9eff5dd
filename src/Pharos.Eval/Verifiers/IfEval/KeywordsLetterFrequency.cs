// IFEval keywords:letter_frequency — how often one letter occurs (case-insensitive), compared with a threshold.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class KeywordsLetterFrequency(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "keywords:letter_frequency";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        var letterArg = PyText.Strip(VerifierArgs.String(Id, args, "letter")).ToLowerInvariant();
        // Google picks a random letter for anything but one ASCII letter; we refuse instead, so results are reproducible.
        if (letterArg.Length != 1 || letterArg[0] is < 'a' or > 'z')
            throw new VerifierArgumentException(Id, "letter", $"must be one ASCII letter, got \"{letterArg}\"");
        char letter = letterArg[0];
        int frequency = VerifierArgs.Int(Id, args, "let_frequency");
        if (frequency < 0) throw new VerifierArgumentException(Id, "let_frequency", "must be ≥ 0");
        var relation = VerifierArgs.Relation(Id, args, "let_relation");
        return text =>
        {
            int count = text.ToLowerInvariant().Count(c => c == letter);
            return Of(relation.Holds(count, frequency),
                $"letter '{letter}' occurs {count} times; required {relation.Text()} {frequency}");
        };
    }
}
