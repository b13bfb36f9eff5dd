// Fills a translation verifier's arguments from its item (source text and language pair) unless the item set them,
// so IF-MT items and GRPO records need not repeat what the record already says.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Verifiers.Translation;

public static class TranslationArguments
{
    public static void Fill(string verifier, JsonObject args, string? source, string? sourceLanguage, string? targetLanguage)
    {
        if (!verifier.StartsWith("translation:", StringComparison.Ordinal)) return;
        void Set(string name, string? value) { if (value is not null && !args.ContainsKey(name)) args[name] = value; }
        switch (verifier)
        {
            case "translation:placeholders" or "translation:markup" or "translation:length_ratio" or "translation:only":
                Set("source", source);
                break;
            case "translation:numbers":
                Set("source", source); Set("source_language", sourceLanguage); Set("target_language", targetLanguage);
                break;
            case "translation:dates":
                Set("source", source); Set("target_language", targetLanguage);
                break;
            case "translation:target_language":
                Set("language", targetLanguage);
                break;
        }
    }
}
