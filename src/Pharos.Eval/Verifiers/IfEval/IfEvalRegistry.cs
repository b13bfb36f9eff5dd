// The 25 IFEval instruction types by id (Google's ids), each created in strict or loose mode.
using Pharos.Eval.Verifiers.LanguageId;

namespace Pharos.Eval.Verifiers.IfEval;

public static class IfEvalRegistry
{
    static readonly Dictionary<string, Func<IfEvalMode, ILanguageIdentifier?, IfEvalInstruction>> Factories = new()
    {
        ["keywords:existence"] = (m, _) => new KeywordsExistence(m),
        ["keywords:frequency"] = (m, _) => new KeywordsFrequency(m),
        ["keywords:forbidden_words"] = (m, _) => new KeywordsForbiddenWords(m),
        ["keywords:letter_frequency"] = (m, _) => new KeywordsLetterFrequency(m),
        ["language:response_language"] = (m, lid) => new LanguageResponseLanguage(m, lid),
        ["length_constraints:number_sentences"] = (m, _) => new LengthNumberSentences(m),
        ["length_constraints:number_paragraphs"] = (m, _) => new LengthNumberParagraphs(m),
        ["length_constraints:number_words"] = (m, _) => new LengthNumberWords(m),
        ["length_constraints:nth_paragraph_first_word"] = (m, _) => new LengthNthParagraphFirstWord(m),
        ["detectable_content:number_placeholders"] = (m, _) => new ContentNumberPlaceholders(m),
        ["detectable_content:postscript"] = (m, _) => new ContentPostscript(m),
        ["detectable_format:number_bullet_lists"] = (m, _) => new FormatNumberBulletLists(m),
        ["detectable_format:constrained_response"] = (m, _) => new FormatConstrainedResponse(m),
        ["detectable_format:number_highlighted_sections"] = (m, _) => new FormatNumberHighlightedSections(m),
        ["detectable_format:multiple_sections"] = (m, _) => new FormatMultipleSections(m),
        ["detectable_format:json_format"] = (m, _) => new FormatJsonFormat(m),
        ["detectable_format:title"] = (m, _) => new FormatTitle(m),
        ["combination:two_responses"] = (m, _) => new CombinationTwoResponses(m),
        ["combination:repeat_prompt"] = (m, _) => new CombinationRepeatPrompt(m),
        ["startend:end_checker"] = (m, _) => new StartEndEndChecker(m),
        ["startend:quotation"] = (m, _) => new StartEndQuotation(m),
        ["change_case:capital_word_frequency"] = (m, _) => new ChangeCaseCapitalWordFrequency(m),
        ["change_case:english_capital"] = (m, lid) => new ChangeCaseEnglishCapital(m, lid),
        ["change_case:english_lowercase"] = (m, lid) => new ChangeCaseEnglishLowercase(m, lid),
        ["punctuation:no_comma"] = (m, _) => new PunctuationNoComma(m),
    };

    public static IReadOnlyCollection<string> Ids => Factories.Keys;

    /// <summary>The verifier for <paramref name="id"/>; <paramref name="item"/> (e.g. "prompt 1001") names the item in errors.</summary>
    public static IfEvalInstruction Create(string id, IfEvalMode mode, ILanguageIdentifier? languageIdentifier = null, string? item = null) =>
        Factories.TryGetValue(id, out var factory) ? factory(mode, languageIdentifier) : throw new UnknownVerifierException(id, item);
}
