// IFEval detectable_format:title — a non-empty title wrapped in double angular brackets, <<like this>>.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class FormatTitle(IfEvalMode mode) : IfEvalInstruction(mode)
{
    static readonly Regex Title = new(@"<<[^\n]+>>", RegexOptions.Compiled);

    public override string Id => "detectable_format:title";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args) => text =>
    {
        var title = Title.Matches(text).Select(m => m.Value).FirstOrDefault(t => PyText.Strip(t.TrimStart('<').TrimEnd('>')).Length > 0);
        return title is not null ? Pass($"title {title}") : Fail("no <<title>>");
    };
}
