// Turns fastText labels into language codes: "__label__en" → ("en", null), GlotLID's "__label__deu_Latn" → ("deu", "Latn").
namespace Pharos.Curation.LanguageId;

public static class LanguageLabel
{
    public static string Strip(string label) => label.StartsWith("__label__", StringComparison.Ordinal) ? label[9..] : label;

    public static (string Language, string? Script) Parse(string label)
    {
        var code = Strip(label);
        var cut = code.LastIndexOf('_');
        // An ISO 15924 script is four letters, capitalised: "Latn", "Cyrl", "Hans".
        if (cut > 0 && code.Length - cut - 1 == 4 && char.IsUpper(code[cut + 1]))
            return (code[..cut], code[(cut + 1)..]);
        return (code, null);
    }
}
