// Finds the spans a translation must copy exactly: format placeholders, HTML tags, Markdown code, links and emphasis.
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.Translation;

public static class ProtectedSpans
{
    // Order matters: {{name}} before {name}; %1$s and %(name)s before %s. "50% off" is not a placeholder (no space flag).
    static readonly Regex Placeholder = new(
        @"\{\{\s*[\w.\-]+\s*\}\}|\{[\w.\-]*(?::[^{}\n]*)?\}|\$\{[\w.\-]+\}|%\([\w.\-]+\)[sdif]|%(?:\d+\$)?[-+0#]*\d*(?:\.\d+)?[sdifuxXeEgGc@]",
        RegexOptions.Compiled);
    static readonly Regex Tag = new(@"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>", RegexOptions.Compiled);
    static readonly Regex TagAttributes = new(@"\b(href|src)\s*=\s*(""[^""]*""|'[^']*')", RegexOptions.Compiled | RegexOptions.IgnoreCase);
    static readonly Regex Code = new(@"`[^`\n]+`", RegexOptions.Compiled);
    static readonly Regex LinkTarget = new(@"\]\(([^()\s]+)\)", RegexOptions.Compiled);
    static readonly Regex Strong = new(@"\*\*(?=\S)[^*\n]+?(?<=\S)\*\*|__(?=\S)[^_\n]+?(?<=\S)__", RegexOptions.Compiled);
    static readonly Regex Emphasis = new(@"(?<![*\w])\*(?=[^\s*])[^*\n]+?(?<=[^\s*])\*(?![*\w])|(?<![_\w])_(?=\S)[^_\n]+?(?<=\S)_(?![_\w])", RegexOptions.Compiled);

    /// <summary>Format placeholders, as written: {0}, {name}, {{name}}, ${var}, %s, %1$s, %(name)s, %.2f.</summary>
    public static List<string> Placeholders(string text) => Placeholder.Matches(WithoutCode(text)).Select(m => m.Value).ToList();

    /// <summary>
    /// Markup that must survive translation, as comparable keys: tags by name (and href/src values, which must not
    /// change), inline code spans verbatim, link targets verbatim, and the count of bold and italic spans (their words
    /// are translated, so only the markers are compared).
    /// </summary>
    public static List<string> Markup(string text)
    {
        var keys = new List<string>();
        foreach (Match m in Code.Matches(text)) keys.Add("code " + m.Value);
        var rest = WithoutCode(text);
        foreach (Match m in Tag.Matches(rest))
        {
            var name = Regex.Match(m.Value, @"^</?[A-Za-z][\w:-]*").Value.ToLowerInvariant();
            var attrs = string.Join(" ", TagAttributes.Matches(m.Value).Select(a => a.Groups[1].Value.ToLowerInvariant() + "=" + a.Groups[2].Value));
            keys.Add("tag " + name + (m.Value.EndsWith("/>") ? "/" : "") + ">" + (attrs.Length > 0 ? " " + attrs : ""));
        }
        foreach (Match m in LinkTarget.Matches(rest)) keys.Add("link " + m.Groups[1].Value);
        var withoutStrong = Strong.Replace(rest, m => { keys.Add("bold " + m.Value[..2]); return " "; });
        foreach (Match m in Emphasis.Matches(withoutStrong)) keys.Add("italic " + m.Value[0]);
        return keys;
    }

    static string WithoutCode(string text) => Code.Replace(text, " ");
}
