// IFEval detectable_format:number_highlighted_sections — at least N *highlighted* (or **bold**) non-empty spans.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class FormatNumberHighlightedSections(IfEvalMode mode) : IfEvalInstruction(mode)
{
    static readonly Regex Single = new(@"\*[^\n\*]*\*", RegexOptions.Compiled);
    static readonly Regex Double = new(@"\*\*[^\n\*]*\*\*", RegexOptions.Compiled);

    public override string Id => "detectable_format:number_highlighted_sections";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        int required = VerifierArgs.Int(Id, args, "num_highlights");
        return text =>
        {
            // Both patterns are counted, as in Google's code, so "**bold**" counts once through each when non-empty.
            int count = Single.Matches(text).Count(m => PyText.Strip(m.Value.Trim('*')).Length > 0)
                + Double.Matches(text).Count(m => PyText.Strip(m.Value[2..^2]).Length > 0);
            return Of(count >= required, $"{count} highlighted sections; required at least {required}");
        };
    }
}
