// Verifier translation:glossary — required target terms appear in the translation; score = share of terms found.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.Translation;

/// <summary>
/// Arguments: <c>terms</c> — list whose items are a string or a list of accepted alternatives (["Rechnung", "Faktura"]);
/// <c>case_sensitive</c> (default false); <c>inflection</c> — "exact" (default: whole word), "suffix" (the term
/// may take an ending, e.g. Rechnung → Rechnungen; for languages that inflect by suffix) or "substring".
/// Terms written in scripts without spaces (CJK, Thai) are always matched as substrings.
/// </summary>
public sealed class Glossary : IVerifier
{
    public string Id => "translation:glossary";

    public Verdict Check(string prompt, string response, JsonObject args)
    {
        var terms = ReadTerms(args);
        bool caseSensitive = VerifierArgs.OptionalBool(Id, args, "case_sensitive") ?? false;
        var inflection = VerifierArgs.OptionalString(Id, args, "inflection") ?? "exact";
        if (inflection is not ("exact" or "suffix" or "substring"))
            throw new VerifierArgumentException(Id, "inflection", $"must be \"exact\", \"suffix\" or \"substring\", got \"{inflection}\"");
        var missing = terms.Where(alternatives => !alternatives.Any(t => Found(response, t, caseSensitive, inflection))).ToList();
        int met = terms.Count - missing.Count;
        var why = missing.Count == 0
            ? $"all {terms.Count} terms present"
            : $"{met}/{terms.Count} terms present; missing: {string.Join(", ", missing.Select(a => string.Join(" | ", a)))}";
        return Verdict.Fraction(met, terms.Count, why);
    }

    static bool Found(string text, string term, bool caseSensitive, string inflection)
    {
        var options = RegexOptions.CultureInvariant | (caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase);
        bool spaced = !term.EnumerateRunes().Any(r => NoSpaceScript(r.Value));
        if (inflection == "substring" || !spaced) return Regex.IsMatch(text, Regex.Escape(term), options);
        // Letters/digits around the term mean it is part of another word; "suffix" allows trailing letters.
        var after = inflection == "suffix" ? @"\p{L}*(?![\p{L}\p{N}])" : @"(?![\p{L}\p{N}])";
        return Regex.IsMatch(text, @"(?<![\p{L}\p{N}])" + Regex.Escape(term) + after, options);
    }

    static bool NoSpaceScript(int cp) => cp is >= 0x0E00 and < 0x0E80 or >= 0x3040 and < 0xA000 or >= 0xAC00 and < 0xD7B0;

    List<IReadOnlyList<string>> ReadTerms(JsonObject args)
    {
        if (args["terms"] is not JsonArray array) throw new VerifierArgumentException(Id, "terms", "is required (a list of terms)");
        var terms = new List<IReadOnlyList<string>>();
        foreach (var item in array)
        {
            if (item is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0) terms.Add([s]);
            else if (item is JsonArray alts && alts.Count > 0 && alts.All(a => a is JsonValue av && av.TryGetValue(out string? _)))
                terms.Add(alts.Select(a => (string)a!).ToList());
            else throw new VerifierArgumentException(Id, "terms", $"items must be non-empty strings or lists of strings, got {item?.ToJsonString() ?? "null"}");
        }
        return terms;
    }
}
