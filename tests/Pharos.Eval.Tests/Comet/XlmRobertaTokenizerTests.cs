// XLM-R tokenization against Hugging Face's XLMRobertaTokenizerFast on the fixture texts (Latin, Cyrillic, CJK,
// Arabic, Greek, emoji, NFKC cases, runs of spaces), from tokenizer.json and from sentencepiece.bpe.model.
using System.Text.Json;
using Pharos.Eval.Comet.XlmRoberta;
using Pharos.Models.Errors;
using Pharos.Tests;

namespace Pharos.Eval.Tests.Comet;

public class XlmRobertaTokenizerTests
{
    public static TheoryData<string> Files => new() { XlmRobertaTokenizer.TokenizerJson, XlmRobertaTokenizer.SentencePieceModel };

    [Theory]
    [MemberData(nameof(Files))]
    public void Ids_equal_transformers_with_and_without_truncation(string file)
    {
        using var dir = new TempDir();
        File.Copy(Path.Combine(CometFixtures.Encoder, file), Path.Combine(dir.Path, file));
        var tokenizer = XlmRobertaTokenizer.Load(dir.Path);
        Assert.EndsWith(file, tokenizer.Source);

        using var doc = JsonDocument.Parse(File.ReadAllText(CometFixtures.Folder("xlmr-token-ids.json")));
        int maxLength = doc.RootElement.GetProperty("max_length").GetInt32();
        int cases = 0, truncated = 0;
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var text = c.GetProperty("text").GetString()!;
            var ids = c.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var cut = c.GetProperty("truncated").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            Assert.Equal(ids, tokenizer.Encode(text, int.MaxValue));
            Assert.Equal(cut, tokenizer.Encode(text, maxLength));
            cases++;
            if (cut.Length < ids.Length) truncated++;
        }
        Assert.True(cases >= 50 && truncated >= 3, $"{cases} cases, {truncated} truncated");
    }

    [Fact]
    public void Folder_without_a_tokenizer_is_refused_by_name()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidModelException>(() => XlmRobertaTokenizer.Load(dir.Path));
        Assert.Contains("sentencepiece.bpe.model", e.Message);
    }
}
