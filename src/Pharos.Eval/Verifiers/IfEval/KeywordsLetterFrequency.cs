// IFEval keywords:letter_frequency — how often one letter occurs (case-insensitive), compared with a threshold.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class KeywordsLetterFrequency(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "keywords:letter_frequency";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        var letterArg = PyText.Strip(VerifierArgs.String(Id, args, "letter")).ToLowerInvariant();
        // Google silently swaps anything but one ASCII letter for a random letter (IFEval prompt 2532 asks for '#');
        // we count the one character asked for, which is reproducible, and refuse longer strings.
        if (letterArg.Length != 1)
            throw new VerifierArgumentException(Id, "letter", $"must be a single character, got \"{letterArg}\"");
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
