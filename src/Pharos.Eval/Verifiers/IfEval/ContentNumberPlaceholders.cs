// IFEval detectable_content:number_placeholders — at least N square-bracket placeholders like [address].
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class ContentNumberPlaceholders(IfEvalMode mode) : IfEvalInstruction(mode)
{
    static readonly Regex Placeholder = new(@"\[.*?\]", RegexOptions.Compiled);

    public override string Id => "detectable_content:number_placeholders";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        int required = VerifierArgs.Int(Id, args, "num_placeholders");
        return text =>
        {
            int count = Placeholder.Count(text);
            return Of(count >= required, $"{count} placeholders; required at least {required}");
        };
    }
}
