// Streaming decode with the real tokenizers: pushed pieces add up to the full decode and never carry half a character.
using Pharos.Models.Tokenization;

namespace Pharos.Models.Tests.Tokenization;

public sealed class IncrementalDecoderTests
{
    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in TokenizerFixtures.Names)
        {
            data.Add(name, true);
            data.Add(name, false);
        }
        return data;
    }

    [RealTokenizerTheory]
    [MemberData(nameof(Cases))]
    public void Streaming_every_line_id_by_id_equals_the_full_decode(string name, bool skipSpecialTokens)
    {
        var tokenizer = TokenizerFixtures.Load(name);
        var expected = TokenizerFixtures.ExpectedIds(name);
        var bad = new List<int>();
        var splitChars = 0;
        for (var i = 0; i < expected.Ids.Length; i++)
        {
            var full = tokenizer.Decode(expected.Ids[i], skipSpecialTokens);
            var decoder = tokenizer.CreateIncrementalDecoder(skipSpecialTokens);
            var streamed = new System.Text.StringBuilder();
            foreach (var id in expected.Ids[i])
            {
                var piece = decoder.Push(id);
                if (!full.Contains('\uFFFD') && piece.Contains('\uFFFD'))
                    splitChars++;
                if (piece.Length > 0 && char.IsHighSurrogate(piece[^1]))
                    splitChars++;
                streamed.Append(piece);
            }
            streamed.Append(decoder.Flush());
            if (streamed.ToString() != full)
                bad.Add(i);
        }
        Assert.True(bad.Count == 0, $"{name}: streamed text differs on lines {string.Join(",", bad.Take(10))}");
        Assert.Equal(0, splitChars);
    }

    [RealTokenizerTheory]
    [MemberData(nameof(Cases))]
    public void Emoji_and_cjk_arrive_whole_when_tokens_split_their_bytes(string name, bool skipSpecialTokens)
    {
        var tokenizer = TokenizerFixtures.Load(name);
        const string text = "👩‍👩‍👧‍👦 🇵🇹 𠀀𠀁 中文字 ᚠᛇᚻ 🧑🏿‍🚀 é";
        var ids = tokenizer.Encode(text, addSpecialTokens: false);
        var decoder = tokenizer.CreateIncrementalDecoder(skipSpecialTokens);
        var pieces = ids.Select(decoder.Push).ToList();
        pieces.Add(decoder.Flush());
        Assert.Equal(text, string.Concat(pieces));
        Assert.DoesNotContain(pieces, p => p.Contains('\uFFFD'));
        // Some tokens carry only part of a character: those pushes return nothing rather than a broken char.
        Assert.Contains(pieces.Take(ids.Count), p => p.Length == 0);
    }

    [RealTokenizerFact]
    public void A_long_stream_of_many_lines_matches_the_full_decode()
    {
        var tokenizer = TokenizerFixtures.Load("qwen3");
        var text = string.Join("\n", TokenizerFixtures.Texts.Take(300));
        var ids = tokenizer.Encode(text);
        var decoder = tokenizer.CreateIncrementalDecoder();
        var streamed = string.Concat(ids.Select(decoder.Push)) + decoder.Flush();
        Assert.Equal(tokenizer.Decode(ids, skipSpecialTokens: true), streamed);
        Assert.Equal(ids, decoder.Ids);
    }
}
