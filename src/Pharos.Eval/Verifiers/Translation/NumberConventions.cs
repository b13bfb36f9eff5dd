// Per-language number writing: thousands separators and decimal mark (a table, not branches), and number reading.
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.Translation;

public static class NumberConventions
{
    /// <summary>Group separators (first is the usual one) and decimal mark; four-digit numbers may be left ungrouped everywhere.</summary>
    public readonly record struct Convention(string[] Groups, string Decimal);

    static readonly Convention Dot = new([","], ".");
    static readonly Convention Comma = new(["."], ",");
    static readonly Convention SpaceComma = new(["\u00A0", "\u202F", " "], ",");

    static readonly Dictionary<string, Convention> Table = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = Dot, ["ja"] = Dot, ["zh"] = Dot, ["ko"] = Dot, ["he"] = Dot, ["th"] = Dot, ["hi"] = Dot,
        ["de"] = Comma, ["es"] = Comma, ["it"] = Comma, ["nl"] = Comma, ["pt-BR"] = Comma, ["tr"] = Comma,
        ["id"] = Comma, ["da"] = Comma, ["el"] = Comma, ["ro"] = Comma, ["hr"] = Comma, ["sl"] = Comma,
        ["fr"] = SpaceComma, ["pt"] = SpaceComma, ["pt-PT"] = SpaceComma, ["ru"] = SpaceComma, ["uk"] = SpaceComma,
        ["pl"] = SpaceComma, ["cs"] = SpaceComma, ["sk"] = SpaceComma, ["fi"] = SpaceComma, ["sv"] = SpaceComma,
        ["nb"] = SpaceComma, ["hu"] = SpaceComma, ["bg"] = SpaceComma,
        ["de-CH"] = new(["’", "'"], "."),
    };

    /// <summary>The convention for a BCP-47-ish code: exact entry, else its language part, else English.</summary>
    public static Convention For(string language) =>
        Table.TryGetValue(language, out var c) ? c
        : Table.TryGetValue(language.Split('-', '_')[0], out c) ? c : Dot;

    /// <summary>Numbers as written in a text of that language, with their canonical value "1234.5".</summary>
    public static List<(string Surface, string Value)> Find(string text, string language)
    {
        var c = For(language);
        var group = string.Join("|", c.Groups.Select(Regex.Escape));
        var dec = Regex.Escape(c.Decimal);
        var pattern = $@"(?<![\d{dec}])\d{{1,3}}(?:(?:{group})\d{{3}})+(?:{dec}\d+)?(?!\d)|(?<![\d{dec}])\d+(?:{dec}\d+)?(?!\d)";
        return Regex.Matches(text, pattern).Select(m => (m.Value.TrimEnd(), Canonical(m.Value, c))).ToList();
    }

    /// <summary>The ways a value may be written in <paramref name="language"/> (grouped and, for 4 digits, ungrouped).</summary>
    public static IEnumerable<string> Render(string value, string language)
    {
        var c = For(language);
        var parts = value.Split('.');
        var fraction = parts.Length > 1 ? c.Decimal + parts[1] : "";
        if (parts[0].Length <= 4) yield return parts[0] + fraction;
        if (parts[0].Length <= 3) yield break;
        foreach (var g in c.Groups) yield return Group(parts[0], g) + fraction;
    }

    static string Group(string digits, string separator)
    {
        var groups = new List<string>();
        for (int end = digits.Length; end > 0; end -= 3) groups.Insert(0, digits[Math.Max(0, end - 3)..end]);
        return string.Join(separator, groups);
    }

    static string Canonical(string surface, Convention c)
    {
        var s = surface.Trim();
        foreach (var g in c.Groups) s = s.Replace(g, "");
        return s.Replace(c.Decimal, ".");
    }
}
