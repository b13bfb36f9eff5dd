// The hook for language identification: verifiers ask it "which language is this?"; a LID model can be plugged in later.
namespace Pharos.Eval.Verifiers.LanguageId;

public interface ILanguageIdentifier
{
    /// <summary>ISO 639-1 code (e.g. "de", "zh") of the most likely language, or null when the text gives no evidence.</summary>
    string? Identify(string text);
}
