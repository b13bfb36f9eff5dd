// One entry of tokenizer.json's added_tokens: a string matched whole before the model sees the text.
namespace Pharos.Models.Tokenization;

internal sealed record AddedToken(int Id, string Content, bool Special, bool SingleWord, bool LStrip, bool RStrip, bool Normalized);
