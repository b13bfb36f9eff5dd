// A language or language variant Tower+ translates: its code (as Pharos' CLI takes it), the English name its prompts use, and aliases.
namespace Pharos.Models.Tokenization;

public sealed record TowerLanguage(string Code, string Name, IReadOnlyList<string> Aliases)
{
    /// <summary>
    /// Tower+'s 22 languages and their variants, as listed on the Tower+ model cards (Unbabel/Tower-Plus-2B/9B/72B; the
    /// list here is from those cards as we recall them, not re-checked against the Hub, which is not reachable here).
    /// Codes are BCP 47; the names are what the prompt says ("Portuguese (Portugal)").
    /// </summary>
    public static IReadOnlyList<TowerLanguage> All { get; } =
    [
        new("en", "English", ["en-US", "en-GB", "eng"]),
        new("de", "German", ["de-DE", "deu"]),
        new("es", "Spanish", ["es-ES", "spa"]),
        new("es-latam", "Spanish (Latin America)", ["es-419", "es-MX"]),
        new("fr", "French", ["fr-FR", "fra"]),
        new("it", "Italian", ["it-IT", "ita"]),
        new("ko", "Korean", ["ko-KR", "kor"]),
        new("nl", "Dutch", ["nl-NL", "nld"]),
        new("ru", "Russian", ["ru-RU", "rus"]),
        new("pt-PT", "Portuguese (Portugal)", ["pt", "por"]),
        new("pt-BR", "Portuguese (Brazil)", []),
        new("zh-Hans", "Chinese (Simplified)", ["zh", "zh-CN", "zh-SG", "cmn"]),
        new("zh-Hant", "Chinese (Traditional)", ["zh-TW", "zh-HK"]),
        new("ja", "Japanese", ["ja-JP", "jpn"]),
        new("cs", "Czech", ["cs-CZ", "ces"]),
        new("pl", "Polish", ["pl-PL", "pol"]),
        new("uk", "Ukrainian", ["uk-UA", "ukr"]),
        new("hi", "Hindi", ["hi-IN", "hin"]),
        new("is", "Icelandic", ["is-IS", "isl"]),
        new("sv", "Swedish", ["sv-SE", "swe"]),
        new("da", "Danish", ["da-DK", "dan"]),
        new("no", "Norwegian (Bokmål)", ["nb", "nb-NO", "nob"]),
        new("nn", "Norwegian (Nynorsk)", ["nn-NO", "nno"]),
        new("fi", "Finnish", ["fi-FI", "fin"]),
        new("hu", "Hungarian", ["hu-HU", "hun"]),
        new("ro", "Romanian", ["ro-RO", "ron"]),
    ];

    /// <summary>The language with this code or alias (case-insensitive, '_' read as '-'), or null.</summary>
    public static TowerLanguage? Find(string code)
    {
        var c = code.Trim().Replace('_', '-');
        return All.FirstOrDefault(l => string.Equals(l.Code, c, StringComparison.OrdinalIgnoreCase))
            ?? All.FirstOrDefault(l => l.Aliases.Any(a => string.Equals(a, c, StringComparison.OrdinalIgnoreCase)));
    }
}
