// IFEval detectable_format:json_format — the whole response (optionally in a ``` fence) parses as JSON.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.IfEval;

public sealed class FormatJsonFormat(IfEvalMode mode) : IfEvalInstruction(mode)
{
    public override string Id => "detectable_format:json_format";

    protected override Func<string, Outcome> Bind(string prompt, JsonObject args) => text =>
    {
        var value = PyText.Strip(text);
        foreach (var prefix in new[] { "```json", "```Json", "```JSON", "```" })
            if (value.StartsWith(prefix, StringComparison.Ordinal)) value = value[prefix.Length..]; // chained removeprefix, as Google
        if (value.EndsWith("```", StringComparison.Ordinal)) value = value[..^3];
        value = PyText.Strip(value);
        try
        {
            using var _ = JsonDocument.Parse(value);
            return Pass("valid JSON");
        }
        catch (JsonException e)
        {
            return Fail($"not valid JSON: {e.Message}");
        }
    };
}
