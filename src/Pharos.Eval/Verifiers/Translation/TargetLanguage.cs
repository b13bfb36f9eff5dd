// Verifier translation:target_language — the output is written in the requested language's script (and language, when a LID model is plugged in).
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers.LanguageId;

namespace Pharos.Eval.Verifiers.Translation;

/// <summary>
/// Arguments: <c>language</c> (required: de, ru, zh-Hant, ja, …); <c>min_share</c> (default 0.6): the share of letters
/// that must be in the language's scripts (names and brands in Latin letters inside a Japanese text are normal).
/// The script check cannot tell German from English; pass an <see cref="ILanguageIdentifier"/> for that.
/// Score = script share / min_share, capped at 1; 0 when the identifier names another language.
/// </summary>
public sealed class TargetLanguage(ILanguageIdentifier? identifier = null) : IVerifier
{
    public string Id => "translation:target_language";

    public Verdict Check(string prompt, string response, JsonObject args)
    {
        var language = VerifierArgs.String(Id, args, "language");
        double minShare = VerifierArgs.OptionalDouble(Id, args, "min_share") ?? 0.6;
        var scripts = LanguageScripts.For(language)
            ?? throw new VerifierArgumentException(Id, "language", $"has no script table entry for \"{language}\"");
        var counts = ScriptProfile.Count(response);
        int total = counts.Values.Sum();
        if (total == 0) return Verdict.Fail("no letters in the output");
        double share = (double)scripts.Sum(s => counts.GetValueOrDefault(s)) / total;
        var why = $"{share:P0} of letters in {string.Join("/", scripts)} (required {minShare:P0} for {language})";
        if (share < minShare) return new Verdict(share / minShare, why);
        if (identifier?.Identify(response) is { } detected && detected != language.Split('-', '_')[0])
            return Verdict.Fail($"{why}; language identifier says '{detected}'");
        return Verdict.Pass(why + (identifier is null ? "" : "; language identifier agrees"));
    }
}
