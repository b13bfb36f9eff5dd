// Words and sentence counts equal to datatrove's (spaCy's rule-based tokenizers, jieba, spaCy's sentencizer) on real multilingual text.
using Pharos.Curation.Text;

namespace Pharos.Curation.Tests.Datatrove;

public sealed class WordTokenizerExactnessTests
{
    static readonly Dictionary<string, (string Language, string Text)> Corpus = DatatroveFixtures.Corpus();

    public static TheoryData<string> Tokenizers() =>
        [.. DatatroveFixtures.Read("words.jsonl.gz").Where(r => r.TryGetProperty("words", out _)).Select(r => r.GetProperty("tokenizer").GetString()!).Distinct().Order()];

    [Theory]
    [MemberData(nameof(Tokenizers))]
    public void WordsAndSentencesEqualDatatroves(string tokenizer)
    {
        var records = DatatroveFixtures.Read("words.jsonl.gz").Where(r => r.TryGetProperty("words", out _) && r.GetProperty("tokenizer").GetString() == tokenizer).ToList();
        Assert.NotEmpty(records);
        foreach (var r in records)
        {
            var id = r.GetProperty("id").GetString()!;
            var (language, text) = Corpus[id];
            var pharos = WordTokenizers.For(language);
            Assert.Equal(Strings(r, "words"), Words(pharos, text));
            Assert.Equal(Strings(r, "simplified_words"), Words(pharos, TextSimplifier.Simplify(text)));
            var lines = PyText.SplitLines(text).Select(l => PyText.Strip(l).ToString()).Where(l => l.Length > 0);
            Assert.Equal(r.GetProperty("sentences").EnumerateArray().Select(e => e.GetInt32()), lines.Select(l => Math.Max(1, pharos.CountSentences(l))));
        }
    }

    [Fact]
    public void LabelsPickDatatrovesTokenizer()
    {
        Assert.Equal("spacy:de", WordTokenizers.For("deu_Latn").Name);
        Assert.Equal("spacy:de", WordTokenizers.For("de").Name);
        Assert.Equal("spacy:nb", WordTokenizers.For("nob_Latn").Name);
        Assert.Equal("jieba", WordTokenizers.For("cmn_Hani").Name);
        Assert.Equal("whitespace", WordTokenizers.For("qqq_Zzzz").Name);  // no assignment: datatrove raises; Pharos uses its fallback
        Assert.Equal("whitespace", WordTokenizers.For("ace_Arab").Name);
        Assert.Equal("spacy:ms", WordTokenizers.For("ace_Latn").Name);
        Assert.Equal("pharos", WordTokenizers.For("hin_Deva").Name);
        Assert.Contains("IndicNLPTokenizer", WordTokenizers.Unavailable("hin_Deva"));
        Assert.Null(WordTokenizers.Unavailable("fra_Latn"));
    }

    static List<string> Strings(System.Text.Json.JsonElement r, string name) => [.. r.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    static List<string> Words(IWordTokenizer tokenizer, string text)
    {
        var words = new List<(int Start, int Length)>();
        tokenizer.Tokenize(text, words);
        return words.ConvertAll(w => text.Substring(w.Start, w.Length));
    }
}
