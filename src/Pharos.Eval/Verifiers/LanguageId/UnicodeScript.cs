// The writing systems the language checks tell apart (a coarse subset of Unicode's Script property).
namespace Pharos.Eval.Verifiers.LanguageId;

public enum UnicodeScript
{
    Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Bengali, Gurmukhi, Gujarati, Tamil, Telugu, Kannada,
    Malayalam, Thai, Hangul, Kana, Han, Other,
}
