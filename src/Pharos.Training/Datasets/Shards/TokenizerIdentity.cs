// What token shards must agree on with the stage reading them: a hash of the tokenizer (tokenizer.json's bytes and the
// ids Pharos picks for BOS/EOS/padding) and a hash of the chat template. Shards made with another tokenizer are refused.
using System.Security.Cryptography;
using System.Text;
using Pharos.Training.Tokenizer;

namespace Pharos.Training.Datasets.Shards;

public sealed record TokenizerIdentity(string TokenizerHash, string ChatTemplateHash, int VocabSize)
{
    public static TokenizerIdentity Of(ITextTokenizer tokenizer)
    {
        var ids = $"vocab={tokenizer.VocabSize};bos={tokenizer.BosId};eos={tokenizer.EosId};pad={tokenizer.PadId};";
        if (tokenizer is HfTextTokenizer { Folder: string folder } hf)
        {
            var json = File.ReadAllBytes(Path.Combine(folder, "tokenizer.json"));
            return new TokenizerIdentity(Hash([.. Encoding.UTF8.GetBytes(ids), .. json]), Hash(Encoding.UTF8.GetBytes(hf.Inner.ChatTemplate ?? "")), tokenizer.VocabSize);
        }
        // A tokenizer without files (tests, in-memory ones): what it does to a probe text and conversation stands in.
        const string probe = "The quick brown fox — Größe, 東京, שלום, 123 <|endoftext|>";
        var encoded = string.Join(",", tokenizer.Encode(probe));
        var chat = tokenizer.RenderChat([new("system", "s"), new("user", "u"), new("assistant", "a")], addGenerationPrompt: false);
        return new TokenizerIdentity(Hash(Encoding.UTF8.GetBytes(ids + encoded)), Hash(Encoding.UTF8.GetBytes(chat)), tokenizer.VocabSize);
    }

    static string Hash(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
