// PEFT's target_modules in its three forms, matched as PEFT matches them: a list of names (a module matches when its
// name equals an entry or ends with "." + entry), one regex string (re.fullmatch on the whole module name), or the
// keyword "all-linear" (every Linear except the output layer).
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pharos.Models.Errors;

namespace Pharos.Training.Adapters;

public sealed class TargetModules
{
    public const string AllLinearKeyword = "all-linear";

    public static readonly TargetModules AllLinear = new(null, null);

    readonly Regex? regex;

    TargetModules(IReadOnlyList<string>? names, string? pattern)
    {
        NameList = names;
        Pattern = pattern;
        if (pattern is not null)
        {
            try
            {
                // \A…\z: Python's fullmatch; .NET's $ would also accept a trailing newline.
                regex = new Regex(@"\A(?:" + pattern + @")\z", RegexOptions.CultureInvariant);
            }
            catch (ArgumentException e)
            {
                throw new PharosException($"target_modules: '{pattern}' is not a valid regular expression ({e.Message})");
            }
        }
    }

    /// <summary>The list form; null for a regex or all-linear.</summary>
    public IReadOnlyList<string>? NameList { get; }
    /// <summary>The regex form; null for a list or all-linear.</summary>
    public string? Pattern { get; }
    public bool IsAllLinear => NameList is null && Pattern is null;

    public static TargetModules Names(params IEnumerable<string> names) => new(names.ToList(), null);

    public static TargetModules Regex(string pattern) =>
        string.Equals(pattern, AllLinearKeyword, StringComparison.OrdinalIgnoreCase) ? AllLinear : new(null, pattern);

    /// <summary>A recipe's lora.target_modules list: ["all-linear"], one regex (an entry with regex characters), or names.</summary>
    public static TargetModules FromRecipe(IReadOnlyList<string> entries)
    {
        if (entries.Count == 1 && (string.Equals(entries[0], AllLinearKeyword, StringComparison.OrdinalIgnoreCase) || LooksLikeRegex(entries[0])))
            return Regex(entries[0]);
        var regexLike = entries.FirstOrDefault(LooksLikeRegex);
        if (regexLike is not null)
            throw new PharosException($"lora.target_modules: '{regexLike}' is a regular expression; PEFT takes a regex only as the single value of target_modules (list entries are names)");
        return Names(entries);
    }

    /// <param name="isOutputLayer">true for the model's lm_head: all-linear leaves it out, as PEFT does</param>
    public bool Matches(string moduleName, bool isOutputLayer)
    {
        if (regex is not null) return regex.IsMatch(moduleName);
        if (NameList is null) return !isOutputLayer;
        return NameList.Any(t => moduleName == t || moduleName.EndsWith("." + t, StringComparison.Ordinal));
    }

    /// <summary>adapter_config.json's value: a list for names, a string for a regex or all-linear.</summary>
    public JsonNode ToJson() => NameList is null
        ? JsonValue.Create(Pattern ?? AllLinearKeyword)
        : new JsonArray(NameList.Select(t => (JsonNode)JsonValue.Create(t)).ToArray());

    public static TargetModules FromJson(JsonNode? node, string path) => node switch
    {
        JsonArray a => Names(a.Select(t => t?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string)t!
            : throw new PharosException($"{path}: target_modules entries must be strings"))),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => Regex((string)v!),
        _ => throw new PharosException($"{path}: target_modules missing (a list of module names or a regex string)"),
    };

    public override string ToString() => NameList is null ? Pattern ?? AllLinearKeyword : string.Join(",", NameList);

    static bool LooksLikeRegex(string entry) => entry.IndexOfAny(['*', '[', '(', '|', '^', '$', '?', '+', '\\']) >= 0;
}
