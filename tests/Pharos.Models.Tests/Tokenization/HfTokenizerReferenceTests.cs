// Real tokenizers (GPT-2, Llama-3, Qwen3, Gemma3) against ids and decodes from Hugging Face tokenizers on the multilingual text.
using System.Text;
using Pharos.Models.Tokenization;

namespace Pharos.Models.Tests.Tokenization;

public sealed class HfTokenizerReferenceTests
{
    public static TheoryData<string> Tokenizers => new(TokenizerFixtures.Names);

    [RealTokenizerTheory]
    [MemberData(nameof(Tokenizers))]
    public void Encode_matches_hugging_face_on_every_line(string name)
    {
        var tokenizer = TokenizerFixtures.Load(name);
        var expected = TokenizerFixtures.ExpectedIds(name);
        var texts = TokenizerFixtures.Texts;
        Assert.True(texts.Length >= 2000);
        var failures = new StringBuilder();
        var bad = 0;
        for (var i = 0; i < texts.Length; i++)
        {
            var ids = tokenizer.Encode(texts[i]);
            if (!ids.SequenceEqual(expected.Ids[i]) && ++bad <= 5)
                failures.AppendLine($"line {i} {Show(texts[i])}\n  expected {string.Join(",", expected.Ids[i].Take(40))}\n  actual   {string.Join(",", ids.Take(40))}");
        }
        Assert.True(bad == 0, $"{name}: {bad} of {texts.Length} lines differ\n{failures}");
    }

    [RealTokenizerTheory]
    [MemberData(nameof(Tokenizers))]
    public void Encode_without_special_tokens_matches(string name)
    {
        var tokenizer = TokenizerFixtures.Load(name);
        var expected = TokenizerFixtures.ExpectedIds(name);
        var batch = tokenizer.EncodeBatch(TokenizerFixtures.Texts, addSpecialTokens: false);
        var bad = Enumerable.Range(0, batch.Count).Where(i => !batch[i].SequenceEqual(expected.IdsNoSpecial[i])).ToList();
        Assert.True(bad.Count == 0, $"{name}: {bad.Count} lines differ, first {string.Join(",", bad.Take(5))}");
    }

    [RealTokenizerTheory]
    [MemberData(nameof(Tokenizers))]
    public void Decode_matches_hugging_face_with_and_without_special_tokens(string name)
    {
        var tokenizer = TokenizerFixtures.Load(name);
        var expected = TokenizerFixtures.ExpectedIds(name);
        var failures = new StringBuilder();
        var bad = 0;
        for (var i = 0; i < expected.Ids.Length; i++)
        {
            var full = tokenizer.Decode(expected.Ids[i]);
            var skipped = tokenizer.Decode(expected.Ids[i], skipSpecialTokens: true);
            if ((full != expected.Decoded[i] || skipped != expected.DecodedSkipSpecial[i]) && ++bad <= 5)
                failures.AppendLine($"line {i}\n  expected {Show(expected.Decoded[i])} | {Show(expected.DecodedSkipSpecial[i])}\n  actual   {Show(full)} | {Show(skipped)}");
        }
        Assert.True(bad == 0, $"{name}: {bad} decodes differ\n{failures}");
    }

    [RealTokenizerTheory]
    [MemberData(nameof(Tokenizers))]
    public void Decode_of_encode_gives_back_the_text(string name)
    {
        // Qwen3 normalizes to NFC, so its round trip gives the NFC form; the others give the text itself.
        var tokenizer = TokenizerFixtures.Load(name);
        var bad = TokenizerFixtures.Texts
            .Where(t => tokenizer.Decode(tokenizer.Encode(t, addSpecialTokens: false)) != (name == "qwen3" ? t.Normalize(NormalizationForm.FormC) : t))
            .Take(5).ToList();
        Assert.True(bad.Count == 0, $"{name}: round trip differs on {string.Join(" / ", bad.Select(Show))}");
    }

    internal static string Show(string s) => System.Text.Json.JsonSerializer.Serialize(s.Length > 80 ? s[..80] + "…" : s,
        new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
