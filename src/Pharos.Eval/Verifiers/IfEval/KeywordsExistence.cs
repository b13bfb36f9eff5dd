// IFEval keywords:existence — every keyword appears (case-insensitive regex search, as Google's code does).
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class KeywordsExistence(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "keywords:existence";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        var keywords = VerifierArgs.StringList(Id, args, "keywords").Order(StringComparer.Ordinal).ToArray();
        var patterns = keywords.Select(k => IfEvalRegex.Pattern(k, ignoreCase: true)).ToArray();
        return text =>
        {
            var missing = keywords.Where((_, i) => !patterns[i].IsMatch(text)).ToList();
            return missing.Count == 0
                ? Pass($"all {keywords.Length} keywords present")
                : Fail($"missing keywords: {string.Join(", ", missing)}");
        };
    }
}
