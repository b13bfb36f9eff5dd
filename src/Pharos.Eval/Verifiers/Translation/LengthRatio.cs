// Verifier translation:length_ratio — output length / source length within bounds (catches truncation and rambling).
using System.Globalization;
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.Translation;

/// <summary>
/// Arguments: <c>source</c> (required); <c>min_ratio</c> (default 0.5) and <c>max_ratio</c> (default 2.0);
/// <c>unit</c> "chars" (default: text elements without whitespace, fair across scripts) or "words".
/// Defaults suit pairs of alphabetic languages; English→Chinese/Japanese needs about 0.2–0.6 in chars.
/// Score 1 inside the bounds, else ratio/min or max/ratio, so a slightly long answer loses little.
/// </summary>
public sealed class LengthRatio : IVerifier
{
    public string Id => "translation:length_ratio";

    public Verdict Check(string prompt, string response, JsonObject args)
    {
        var source = VerifierArgs.String(Id, args, "source");
        double min = VerifierArgs.OptionalDouble(Id, args, "min_ratio") ?? 0.5;
        double max = VerifierArgs.OptionalDouble(Id, args, "max_ratio") ?? 2.0;
        if (min <= 0 || max < min) throw new VerifierArgumentException(Id, "min_ratio", $"and max_ratio must satisfy 0 < min ≤ max, got {min} and {max}");
        var unit = VerifierArgs.OptionalString(Id, args, "unit") ?? "chars";
        if (unit is not ("chars" or "words")) throw new VerifierArgumentException(Id, "unit", $"must be \"chars\" or \"words\", got \"{unit}\"");
        int sourceLength = Measure(source, unit), targetLength = Measure(response, unit);
        if (sourceLength == 0) throw new VerifierArgumentException(Id, "source", "is empty");
        double ratio = (double)targetLength / sourceLength;
        var why = $"length ratio {ratio:0.00} ({targetLength}/{sourceLength} {unit}); allowed {min:0.##}–{max:0.##}";
        double score = ratio < min ? ratio / min : ratio > max ? max / ratio : 1.0;
        return new Verdict(score, why);
    }

    static int Measure(string text, string unit)
    {
        if (unit == "words") return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        int count = 0;
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext()) if (!string.IsNullOrWhiteSpace((string)e.Current)) count++;
        return count;
    }
}
