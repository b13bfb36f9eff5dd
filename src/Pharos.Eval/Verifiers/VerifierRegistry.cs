// Every verifier by id: the 25 IFEval types (strict or loose), math:final_answer and the translation:* constraints.
using Pharos.Eval.Verifiers.IfEval;
using Pharos.Eval.Verifiers.LanguageId;
using Pharos.Eval.Verifiers.MathAnswers;
using Pharos.Eval.Verifiers.Translation;

namespace Pharos.Eval.Verifiers;

/// <summary>What eval suites and GRPO reward configs name in YAML/JSONL.</summary>
public static class VerifierRegistry
{
    static readonly Dictionary<string, Func<ILanguageIdentifier?, IVerifier>> Others = new()
    {
        ["math:final_answer"] = _ => new MathFinalAnswer(),
        ["translation:glossary"] = _ => new Glossary(),
        ["translation:placeholders"] = _ => new Placeholders(),
        ["translation:markup"] = _ => new Markup(),
        ["translation:numbers"] = _ => new Numbers(),
        ["translation:dates"] = _ => new Dates(),
        ["translation:target_language"] = lid => new TargetLanguage(lid),
        ["translation:length_ratio"] = _ => new LengthRatio(),
        ["translation:only"] = _ => new TranslationOnly(),
    };

    public static IEnumerable<string> Ids => IfEvalRegistry.Ids.Concat(Others.Keys);

    /// <summary>
    /// The verifier for <paramref name="id"/>. <paramref name="mode"/> applies to IFEval types; the language identifier,
    /// when given, is used by IFEval's language checks and translation:target_language.
    /// </summary>
    public static IVerifier Create(string id, IfEvalMode mode = IfEvalMode.Strict, ILanguageIdentifier? languageIdentifier = null, string? item = null) =>
        Others.TryGetValue(id, out var factory) ? factory(languageIdentifier)
        : IfEvalRegistry.Create(id, mode, languageIdentifier, item);
}
