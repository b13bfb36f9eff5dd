// Punkt sentence splitting and nltk word_tokenize ports against nltk 3.8 on the 541 IFEval responses (Fixtures/ifeval/tokenization.jsonl).
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers.IfEval;
using Pharos.Tests;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class TokenizationReferenceTests
{
    static readonly string Dir = RepoPaths.Fixtures("Pharos.Eval.Tests", "ifeval");

    static IEnumerable<(string Text, JsonObject Expected)> Cases()
    {
        var responses = File.ReadLines(Path.Combine(Dir, "responses_gpt4_20231107.jsonl")).Select(l => (string)JsonNode.Parse(l)!["response"]!).ToList();
        foreach (var line in File.ReadLines(Path.Combine(Dir, "tokenization.jsonl")))
        {
            var row = JsonNode.Parse(line)!.AsObject();
            yield return (responses[(int)row["response_index"]!], row);
        }
    }

    [Fact]
    public void SentencesMatchNltkPunktWithEmptyParameters()
    {
        int n = 0;
        foreach (var (text, expected) in Cases())
        {
            // Python's len counts code points; compare in runes.
            var ours = PunktSentenceSplitter.Split(text).Select(s => s.EnumerateRunes().Count()).ToArray();
            var theirs = expected["sentence_lengths"]!.AsArray().Select(x => (int)x!).ToArray();
            Assert.True(theirs.SequenceEqual(ours), $"response {expected["response_index"]}: nltk [{string.Join(",", theirs)}], ours [{string.Join(",", ours)}]");
            n++;
        }
        Assert.Equal(541, n);
    }

    [Fact]
    public void WordTokensMatchNltkWordTokenize()
    {
        foreach (var (text, expected) in Cases())
        {
            var tokens = TreebankWordTokenizer.Tokenize(text).ToList();
            var first = expected["first_tokens"]!.AsArray().Select(x => (string)x!).ToArray();
            Assert.Equal(first, tokens.Take(first.Length).ToArray());
            Assert.Equal((int)expected["tokens"]!, tokens.Count);
            Assert.Equal((int)expected["upper_tokens"]!, tokens.Count(PyText.IsUpper));
        }
    }
}
