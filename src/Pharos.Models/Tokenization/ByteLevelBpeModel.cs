// Byte-level BPE (GPT-2, Llama-3, Qwen2/3) on Microsoft.ML.Tokenizers' BpeTokenizer, which does the byte mapping and merges.
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Pharos.Models.Tokenization;

/// <summary>
/// Microsoft.ML.Tokenizers reproduces Hugging Face's merge order for byte-level BPE, so it encodes each piece.
/// What it lacks we do here: ignore_merges (a piece that is itself a vocabulary entry is taken whole, as Llama-3's
/// tokenizer.json asks) and the id-to-token view the decoders need.
/// </summary>
internal sealed class ByteLevelBpeModel : TokenModel
{
    readonly BpeTokenizer _bpe;
    readonly Dictionary<string, int> _vocab;
    readonly string?[] _tokens;
    readonly bool _ignoreMerges;

    public ByteLevelBpeModel(BpeData data)
    {
        if (data.ContinuingSubwordPrefix.Length > 0 || data.EndOfWordSuffix.Length > 0)
            throw new InvalidTokenizerException("tokenizer.json: field 'model': continuing_subword_prefix/end_of_word_suffix are not supported with byte-level BPE");
        _vocab = data.Vocab;
        _ignoreMerges = data.IgnoreMerges;
        _bpe = BpeTokenizer.Create(new BpeOptions(data.Vocab)
        {
            Merges = data.Merges.Select(m => m.Left + " " + m.Right),
            ByteLevel = true,
            UnknownToken = data.UnknownToken,
            FuseUnknownTokens = data.FuseUnknown,
        });
        _tokens = new string?[data.Vocab.Count == 0 ? 0 : data.Vocab.Values.Max() + 1];
        foreach (var (token, id) in data.Vocab)
            _tokens[id] = token;
    }

    public override int VocabSize => _vocab.Count;

    public override void Encode(string piece, List<int> ids)
    {
        if (_ignoreMerges && _vocab.TryGetValue(ByteLevelAlphabet.Encode(Encoding.UTF8.GetBytes(piece)), out var whole))
        {
            ids.Add(whole);
            return;
        }
        ids.AddRange(_bpe.EncodeToIds(piece, considerPreTokenization: false, considerNormalization: false));
    }

    public override string? IdToToken(int id) => (uint)id < (uint)_tokens.Length ? _tokens[id] : null;

    public override int? TokenToId(string token) => _vocab.TryGetValue(token, out var id) ? id : null;
}
