// Verifier translation:dates — the source's dates are in the target, copied as is or written the target language's way.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.Translation;

/// <summary>
/// Arguments: <c>source</c> (required, English: 2024-03-05, 3/5/2024 read as US month/day, March 5, 2024, 5 March 2024);
/// <c>mode</c> "preserve" (default: the same characters) or "localize" (any of the target's usual long or numeric
/// forms, e.g. "5. März 2024" or "05.03.2024" for de; month names compared case-insensitively);
/// <c>target_language</c> (required for localize; en, de, fr, es, it, pt, nl, ru, ja, zh, ko). Score = share found.
/// </summary>
public sealed class Dates : IVerifier
{
    public string Id => "translation:dates";

    public Verdict Check(string prompt, string response, JsonObject args)
    {
        var source = VerifierArgs.String(Id, args, "source");
        var mode = VerifierArgs.OptionalString(Id, args, "mode") ?? "preserve";
        if (mode is not ("preserve" or "localize"))
            throw new VerifierArgumentException(Id, "mode", $"must be \"preserve\" or \"localize\", got \"{mode}\"");
        string? target = null;
        if (mode == "localize")
        {
            target = VerifierArgs.String(Id, args, "target_language");
            if (!DateFormats.Supports(target)) throw new VerifierArgumentException(Id, "target_language", $"has no date table for \"{target}\"");
        }
        var dates = DateFormats.Find(source);
        var text = response.ToLowerInvariant();
        var missing = new List<string>();
        foreach (var (surface, y, m, d) in dates)
        {
            var accepted = target is null ? [surface] : DateFormats.Render(y, m, d, target).ToArray();
            if (!accepted.Any(a => text.Contains(a.ToLowerInvariant(), StringComparison.Ordinal)))
                missing.Add(target is null ? surface : $"{surface} (as {string.Join(" or ", accepted)})");
        }
        int met = dates.Count - missing.Count;
        var why = dates.Count == 0 ? "no dates in the source"
            : missing.Count == 0 ? $"all {dates.Count} dates {(target is null ? "preserved" : $"localised for {target}")}"
            : $"{met}/{dates.Count} dates found; missing: {string.Join(", ", missing)}";
        return Verdict.Fraction(met, dates.Count, why);
    }
}
