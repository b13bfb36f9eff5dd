// Tower+ prompts: the model-card pattern, language codes and aliases, the chat-wrapped form, and unknown codes.
using Pharos.Models.Tokenization;

namespace Pharos.Models.Tests.Tokenization;

public sealed class TranslationPromptTests
{
    [Fact]
    public void Builds_the_model_card_pattern()
    {
        Assert.Equal("Translate the following English source text to Portuguese (Portugal):\nEnglish: Hello world!\nPortuguese (Portugal): ",
            TranslationPrompt.Build("Hello world!", "en", "pt-PT"));
        Assert.Equal("Translate the following German source text to Chinese (Traditional):\nGerman: Guten Tag\nChinese (Traditional): ",
            TranslationPrompt.Build("Guten Tag", "de", "zh-Hant"));
    }

    [Theory]
    [InlineData("pt", "pt-PT")]
    [InlineData("PT_br", "pt-BR")]
    [InlineData("zh", "zh-Hans")]
    [InlineData("zh-TW", "zh-Hant")]
    [InlineData("nb", "no")]
    [InlineData("es-419", "es-latam")]
    [InlineData("ENG", "en")]
    public void Codes_and_aliases_resolve(string code, string expected) => Assert.Equal(expected, TowerLanguage.Find(code)!.Code);

    [Fact]
    public void The_list_covers_twenty_two_languages_and_their_variants()
    {
        var baseLanguages = TranslationPrompt.Languages.Select(l => l.Code.Split('-')[0] switch { "nn" => "no", var b => b }).Distinct().Count();
        Assert.Equal(22, baseLanguages);
        string[] mustHave = ["en", "de", "es", "fr", "it", "ko", "nl", "ru", "pt-PT", "pt-BR", "zh-Hans", "zh-Hant", "ja"];
        Assert.All(mustHave, c => Assert.NotNull(TowerLanguage.Find(c)));
        Assert.Equal(TranslationPrompt.Languages.Count, TranslationPrompt.Languages.Select(l => l.Code).Distinct().Count());
    }

    [Fact]
    public void An_unknown_code_is_a_pharos_error_listing_the_known_ones()
    {
        var e = Assert.Throws<UnsupportedLanguageException>(() => TranslationPrompt.Build("x", "en", "tlh"));
        Assert.Contains("'tlh'", e.Message);
        Assert.Contains("pt-PT", e.Message);
    }

    [RealTokenizerFact]
    public void Is_wrapped_in_the_models_chat_template()
    {
        var qwen = TokenizerFixtures.Load("qwen3");
        Assert.Equal("<|im_start|>user\nTranslate the following English source text to Portuguese (Portugal):\nEnglish: Hi\nPortuguese (Portugal): <|im_end|>\n<|im_start|>assistant\n",
            TranslationPrompt.BuildChat(qwen, "Hi", "en", "pt-PT"));
        var gemma = TokenizerFixtures.Load("gemma3");
        // Gemma's template trims the message, so the trailing space after the target name goes.
        Assert.Equal("<bos><start_of_turn>user\nTranslate the following English source text to German:\nEnglish: Hi\nGerman:<end_of_turn>\n<start_of_turn>model\n",
            TranslationPrompt.BuildChat(gemma, "Hi", "en", "de"));
    }
}
