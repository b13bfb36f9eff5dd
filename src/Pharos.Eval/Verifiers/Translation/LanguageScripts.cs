// Which scripts each target language is written in: the table behind translation:target_language.
using Pharos.Eval.Verifiers.LanguageId;

namespace Pharos.Eval.Verifiers.Translation;

public static class LanguageScripts
{
    static readonly UnicodeScript[] Latin = [UnicodeScript.Latin];

    static readonly Dictionary<string, UnicodeScript[]> Table = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ru"] = [UnicodeScript.Cyrillic], ["uk"] = [UnicodeScript.Cyrillic], ["bg"] = [UnicodeScript.Cyrillic],
        ["sr"] = [UnicodeScript.Cyrillic, UnicodeScript.Latin], ["el"] = [UnicodeScript.Greek],
        ["ar"] = [UnicodeScript.Arabic], ["fa"] = [UnicodeScript.Arabic], ["ur"] = [UnicodeScript.Arabic],
        ["he"] = [UnicodeScript.Hebrew], ["hi"] = [UnicodeScript.Devanagari], ["mr"] = [UnicodeScript.Devanagari],
        ["ne"] = [UnicodeScript.Devanagari], ["bn"] = [UnicodeScript.Bengali], ["pa"] = [UnicodeScript.Gurmukhi],
        ["gu"] = [UnicodeScript.Gujarati], ["ta"] = [UnicodeScript.Tamil], ["te"] = [UnicodeScript.Telugu],
        ["kn"] = [UnicodeScript.Kannada], ["ml"] = [UnicodeScript.Malayalam], ["th"] = [UnicodeScript.Thai],
        ["ko"] = [UnicodeScript.Hangul, UnicodeScript.Han],
        ["ja"] = [UnicodeScript.Kana, UnicodeScript.Han],
        ["zh"] = [UnicodeScript.Han], ["zh-Hans"] = [UnicodeScript.Han], ["zh-Hant"] = [UnicodeScript.Han],
    };

    static readonly HashSet<string> LatinLanguages = new(StringComparer.OrdinalIgnoreCase)
    {
        "en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sk", "sl", "hr", "ro", "hu", "fi", "sv", "da", "nb",
        "no", "is", "et", "lv", "lt", "tr", "id", "ms", "vi", "sw", "ca", "gl", "eu", "ga", "cy", "mt", "sq", "tl",
    };

    /// <summary>Scripts for a code such as "pt-BR" or "zh-Hant" (exact entry first, then the language part); null if unknown.</summary>
    public static UnicodeScript[]? For(string language)
    {
        if (Table.TryGetValue(language, out var scripts)) return scripts;
        var baseCode = language.Split('-', '_')[0];
        if (Table.TryGetValue(baseCode, out scripts)) return scripts;
        return LatinLanguages.Contains(baseCode) ? Latin : null;
    }
}
