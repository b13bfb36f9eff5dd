// Verifier translation:only — the output is the translation alone: no preamble, no trailing notes, no added quotes.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.Translation;

/// <summary>
/// Arguments: <c>source</c> (optional: when given, a preamble line that the source itself starts with is not
/// flagged, and quotes wrapping the whole output are flagged only when the source is not quoted). Score 1 or 0;
/// the explanation quotes what was found.
/// </summary>
public sealed class TranslationOnly : IVerifier
{
    public string Id => "translation:only";

    public Verdict Check(string prompt, string response, JsonObject args)
    {
        var source = VerifierArgs.OptionalString(Id, args, "source");
        var text = response.Trim();
        if (text.Length == 0) return Verdict.Fail("empty output");
        var problems = new List<string>();
        var firstLine = text.Split('\n')[0];
        if (PreamblePatterns.Preamble.IsMatch(firstLine) && !SourceStartsAlike(source, firstLine))
            problems.Add($"preamble \"{Clip(firstLine)}\"");
        var paragraphs = text.Split("\n\n");
        if (paragraphs.Length > 1 && PreamblePatterns.Commentary.IsMatch(paragraphs[^1]))
            problems.Add($"trailing commentary \"{Clip(paragraphs[^1])}\"");
        bool quoted = text.Length > 1 && text[0] is '"' or '“' or '«' && text[^1] is '"' or '”' or '»';
        if (quoted && source is not null && !(source.Trim().Length > 1 && source.Trim()[0] is '"' or '“' or '«'))
            problems.Add("output wrapped in quotes the source does not have");
        return problems.Count == 0 ? Verdict.Pass("translation only") : Verdict.Fail(string.Join("; ", problems));
    }

    static bool SourceStartsAlike(string? source, string firstLine) =>
        source is not null && PreamblePatterns.Preamble.IsMatch(source.Trim().Split('\n')[0]);

    static string Clip(string s) => s.Length <= 60 ? s.Trim() : s[..57].Trim() + "…";
}
