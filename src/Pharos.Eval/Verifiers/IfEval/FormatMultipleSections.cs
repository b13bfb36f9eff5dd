// IFEval detectable_format:multiple_sections — at least N sections introduced by "<splitter> <number>".
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class FormatMultipleSections(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "detectable_format:multiple_sections";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        var splitter = PyText.Strip(VerifierArgs.String(Id, args, "section_spliter"));
        int required = VerifierArgs.Int(Id, args, "num_sections");
        var pattern = IfEvalRegex.Pattern(splitter, ignoreCase: false, @"\s?", @"\s?\d+\s?");
        return text =>
        {
            // re.split gives one more piece than matches; Google counts pieces − 1.
            int count = pattern.Count(text);
            return Of(count >= required, $"{count} sections marked '{splitter} N'; required at least {required}");
        };
    }
}
