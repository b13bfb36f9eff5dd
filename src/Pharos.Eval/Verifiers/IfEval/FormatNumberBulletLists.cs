// IFEval detectable_format:number_bullet_lists — exactly N Markdown bullet lines ("* item" or "- item").
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class FormatNumberBulletLists(IfEvalMode mode) : IfEvalInstruction(mode)
{
    static readonly Regex Star = new(@"^\s*\*[^\*].*$", RegexOptions.Compiled | RegexOptions.Multiline);
    static readonly Regex Dash = new(@"^\s*-.*$", RegexOptions.Compiled | RegexOptions.Multiline);

    public override string Id => "detectable_format:number_bullet_lists";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        int required = VerifierArgs.Int(Id, args, "num_bullets");
        return text =>
        {
            int count = Star.Count(text) + Dash.Count(text);
            return Of(count == required, $"{count} bullet points; required exactly {required}");
        };
    }
}
