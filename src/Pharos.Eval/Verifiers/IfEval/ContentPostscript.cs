// IFEval detectable_content:postscript — a line starting with the postscript marker (P.S., P.P.S, or any given marker).
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class ContentPostscript(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "detectable_content:postscript";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args)
    {
        var marker = PyText.Strip(VerifierArgs.String(Id, args, "postscript_marker"));
        // Google's two built-in markers get tolerant patterns; any other marker is spliced in as a regex.
        var pattern = marker switch
        {
            "P.P.S" => new Regex(@"\s*p\.\s?p\.\s?s.*$", RegexOptions.Multiline),
            "P.S." => new Regex(@"\s*p\.\s?s\..*$", RegexOptions.Multiline),
            _ => IfEvalRegex.Pattern(marker.ToLowerInvariant(), ignoreCase: false, @"(?m)\s*", ".*$"),
        };
        return text => pattern.IsMatch(text.ToLowerInvariant())
            ? Pass($"postscript '{marker}' found")
            : Fail($"no postscript starting with '{marker}'");
    }
}
