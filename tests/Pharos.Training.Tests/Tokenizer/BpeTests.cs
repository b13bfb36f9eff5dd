// The BPE trainer learns frequent merges, and the tokenizer.json it writes loads in Pharos.Models' HfTokenizer and
// round-trips text (including specials and the ChatML template) exactly.
using Pharos.Models.Tokenization;
using Pharos.Tests;
using Pharos.Training.Tokenizer;

namespace Pharos.Training.Tests.Tokenizer;

public class BpeTests
{
    static readonly string[] Corpus =
    [
        "Tout le monde a droit à la vie, à la liberté et à la sûreté de sa personne.",
        "Everyone has the right to life, liberty and security of person.",
        "Jeder hat das Recht auf Leben, Freiheit und Sicherheit der Person.",
        "人人有权享有生命、自由和人身安全。",
        "Everyone has the right to life, liberty and security of person. The right to life!",
    ];

    [Fact]
    public void Trained_tokenizer_round_trips_and_compresses()
    {
        using var dir = new TempDir();
        var vocab = new BpeTrainer(330, TokenizerFiles.DefaultSpecials, minFrequency: 2).Train(Corpus);
        Assert.True(vocab.Merges.Count > 20);
        Assert.Equal(vocab.Size, 3 + 256 + vocab.Merges.Count);
        TokenizerFiles.Write(vocab, dir.Path);
        var tok = new HfTextTokenizer(HfTokenizer.Load(dir.Path));
        foreach (var text in Corpus.Append("unseen wörds 😀 and\ttabs\n\nnewlines"))
            Assert.Equal(text, tok.Decode(tok.Encode(text)));
        var ids = tok.Encode("Everyone has the right to life");
        Assert.True(ids.Length < "Everyone has the right to life".Length / 2, $"{ids.Length} tokens: merges not applied");
        var chat = tok.RenderChat([new("user", "hi")], addGenerationPrompt: true);
        var chatIds = tok.Encode(chat);
        Assert.Equal(tok.Inner.TokenToId("<|im_start|>"), chatIds[0]);
        Assert.Equal("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n", chat);
        Assert.Equal(tok.Inner.TokenToId("<|endoftext|>"), tok.EosId);
        Assert.Equal(chat, tok.Decode(chatIds));
    }

    [Fact]
    public void Training_is_deterministic()
    {
        var a = new BpeTrainer(300, TokenizerFiles.DefaultSpecials).Train(Corpus);
        var b = new BpeTrainer(300, TokenizerFiles.DefaultSpecials).Train(Corpus);
        Assert.Equal(a.Merges, b.Merges);
    }
}
