// IFEval keywords:forbidden_words — none of the words appears as a whole word (case-insensitive).
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class KeywordsForbiddenWords(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "keywords:forbidden_words";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        var words = VerifierArgs.StringList(Id, args, "forbidden_words").Distinct().Order(StringComparer.Ordinal).ToArray();
        var patterns = words.Select(w => IfEvalRegex.Pattern(w, ignoreCase: true, @"\b", @"\b")).ToArray();
        return text =>
        {
            var found = words.Where((_, i) => patterns[i].IsMatch(text)).ToList();
            return found.Count == 0
                ? Pass($"none of {words.Length} forbidden words used")
                : Fail($"forbidden words used: {string.Join(", ", found)}");
        };
    }
}
