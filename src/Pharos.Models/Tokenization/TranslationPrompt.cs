// Tower+ translation prompts: the model-card pattern, as text and as a chat turn rendered with the model's template.
namespace Pharos.Models.Tokenization;

public static class TranslationPrompt
{
    public static IReadOnlyList<TowerLanguage> Languages => TowerLanguage.All;

    /// <summary>
    /// "Translate the following English source text to Portuguese (Portugal):\nEnglish: {source}\nPortuguese (Portugal): "
    /// — the user turn the Tower+ model cards show; the model answers with the translation alone.
    /// </summary>
    public static string Build(string source, string fromCode, string toCode)
    {
        ArgumentNullException.ThrowIfNull(source);
        var from = Resolve(fromCode);
        var to = Resolve(toCode);
        return $"Translate the following {from.Name} source text to {to.Name}:\n{from.Name}: {source}\n{to.Name}: ";
    }

    /// <summary>The prompt as the single user message of a conversation.</summary>
    public static IReadOnlyList<ChatMessage> Messages(string source, string fromCode, string toCode) =>
        [new ChatMessage("user", Build(source, fromCode, toCode))];

    /// <summary>The prompt wrapped in the model's chat template with the generation prompt, ready to encode (without adding special tokens again).</summary>
    public static string BuildChat(HfTokenizer tokenizer, string source, string fromCode, string toCode) =>
        tokenizer.ApplyChatTemplate(Messages(source, fromCode, toCode), addGenerationPrompt: true);

    static TowerLanguage Resolve(string code) => TowerLanguage.Find(code)
        ?? throw new UnsupportedLanguageException(code);
}
