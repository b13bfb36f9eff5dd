// One entry of tokenizer.json's added_tokens: a string matched whole before the model sees the text.
namespace Pharos.Models.Tokenization;

/// <param name="Pattern">What is searched for and what the decoder sees: the content itself, or for a normalized
/// token the content passed through the normalizer (as Hugging Face matches it in normalized text and caches it for decoding).</param>
internal sealed record AddedToken(int Id, string Content, bool Special, bool SingleWord, bool LStrip, bool RStrip, bool Normalized, string Pattern);
