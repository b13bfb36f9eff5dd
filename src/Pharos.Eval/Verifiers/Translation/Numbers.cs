// Verifier translation:numbers — the source's numbers are in the target, copied as is or localised to the target's conventions.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.Translation;

/// <summary>
/// Arguments: <c>source</c> (required); <c>mode</c> "preserve" (default: the same characters, e.g. 1,234.5 stays
/// 1,234.5) or "localize" (the same value written the target's way, e.g. 1,234.5 → 1.234,5 for de);
/// <c>source_language</c> (default "en") and <c>target_language</c> (required for localize) pick the conventions.
/// Score = share of source numbers found.
/// </summary>
public sealed class Numbers : IVerifier
{
    public string Id => "translation:numbers";

    public Verdict Check(string prompt, string response, JsonObject args)
    {
        var source = VerifierArgs.String(Id, args, "source");
        var mode = VerifierArgs.OptionalString(Id, args, "mode") ?? "preserve";
        if (mode is not ("preserve" or "localize"))
            throw new VerifierArgumentException(Id, "mode", $"must be \"preserve\" or \"localize\", got \"{mode}\"");
        var sourceLanguage = VerifierArgs.OptionalString(Id, args, "source_language") ?? "en";
        var targetLanguage = mode == "localize" ? VerifierArgs.String(Id, args, "target_language") : sourceLanguage;
        // Dates are numbers too, but translation:dates owns them.
        var numbers = NumberConventions.Find(DateFormats.Mask(source), sourceLanguage);
        var target = NumberConventions.Find(response, targetLanguage).Select(n => n.Surface).ToList();
        var missing = new List<string>();
        foreach (var (surface, value) in numbers)
        {
            var accepted = mode == "preserve" ? [surface] : NumberConventions.Render(value, targetLanguage).ToArray();
            int at = target.FindIndex(t => accepted.Contains(t));
            if (at >= 0) target.RemoveAt(at);
            else missing.Add(mode == "preserve" ? surface : $"{surface} (as {string.Join(" or ", accepted.Select(a => a.Replace('\u00A0', '␣').Replace('\u202F', '␣')))})");
        }
        int met = numbers.Count - missing.Count;
        var why = numbers.Count == 0 ? "no numbers in the source"
            : missing.Count == 0 ? $"all {numbers.Count} numbers {(mode == "preserve" ? "preserved" : $"localised for {targetLanguage}")}"
            : $"{met}/{numbers.Count} numbers found; missing: {string.Join(", ", missing)}";
        return Verdict.Fraction(met, numbers.Count, why);
    }
}
