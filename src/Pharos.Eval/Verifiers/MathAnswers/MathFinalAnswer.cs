// Verifier math:final_answer — the response's final answer equals the expected one (numbers, fractions, %, LaTeX).
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.MathAnswers;

/// <summary>
/// Arguments: <c>answer</c> (string or number, required), <c>tolerance</c> (relative, default 1e-6).
/// A percentage matches both its number and its fraction (50% ≡ 50 ≡ 0.5) because datasets disagree on which to store.
/// </summary>
public sealed class MathFinalAnswer : IVerifier
{
    public string Id => "math:final_answer";

    public Verdict Check(string prompt, string response, JsonObject args)
    {
        var expected = ExpectedAnswer(args);
        double tolerance = VerifierArgs.OptionalDouble(Id, args, "tolerance") ?? 1e-6;
        var found = MathAnswerExtractor.Extract(response);
        if (found is not { } f) return Verdict.Fail($"no answer found; expected {expected}");
        var what = $"extracted '{f.Answer}' ({f.How}); expected '{expected}'";
        var got = MathAnswerValue.Parse(f.Answer);
        var want = MathAnswerValue.Parse(expected);
        if (got is { } g && want is { } w)
        {
            bool equal = Close(g.Value, w.Value, tolerance)
                || (g.Percent != w.Percent && (Close(g.Value / 100, w.Value, tolerance) || Close(g.Value, w.Value / 100, tolerance)));
            return Verdict.Of(equal, what + (equal ? " — equal" : " — different values"));
        }
        bool same = MathAnswerValue.Normalize(f.Answer) == MathAnswerValue.Normalize(expected);
        return Verdict.Of(same, what + (same ? " — same expression" : " — different expressions"));
    }

    string ExpectedAnswer(JsonObject args)
    {
        // Datasets store answers as strings or numbers; both are accepted.
        if (args["answer"] is JsonValue v && v.GetValueKind() == JsonValueKind.Number) return v.ToJsonString();
        return VerifierArgs.String(Id, args, "answer");
    }

    static bool Close(double a, double b, double tolerance) =>
        a == b || Math.Abs(a - b) <= tolerance * Math.Max(1.0, Math.Max(Math.Abs(a), Math.Abs(b)));
}
