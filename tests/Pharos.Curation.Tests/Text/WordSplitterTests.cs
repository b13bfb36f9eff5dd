// Word splitting per script: spaced scripts by whitespace and punctuation, CJK per character/kana run, Thai by grapheme cluster.
using Pharos.Curation.Text;

namespace Pharos.Curation.Tests.Text;

public sealed class WordSplitterTests
{
    [Theory]
    [InlineData("Hello, world!", "Hello|,|world|!")]
    [InlineData("l'homme well-known 3.14 1,000 end.Next", "l'homme|well-known|3.14|1,000|end|.|Next")]
    [InlineData("wait...  what?!", "wait|...|what|?|!")]
    [InlineData("Привет, мир", "Привет|,|мир")]
    [InlineData("我爱北京。", "我|爱|北|京|。")]
    [InlineData("私はカタカナです", "私|は|カタカナ|です")]
    [InlineData("안녕하세요 세계", "안녕하세요|세계")]
    [InlineData("नमस्ते दुनिया", "नमस्ते|दुनिया")]
    [InlineData("emoji 😀 ok", "emoji|😀|ok")]
    public void Splits(string text, string expected) => Assert.Equal(expected, string.Join('|', WordSplitter.SplitToStrings(text)));

    [Fact]
    public void ThaiSplitsIntoGraphemeClusters()
    {
        var words = WordSplitter.SplitToStrings("สวัสดี");
        Assert.Equal("สวัสดี", string.Concat(words));
        Assert.True(words.Count > 1);
        Assert.All(words, w => Assert.False(char.GetUnicodeCategory(w[0]) == System.Globalization.UnicodeCategory.NonSpacingMark));
    }

    [Fact]
    public void CodePointsCountLikePython() => Assert.Equal(3, CodePoints.Count("a😀b"));

    [Fact]
    public void SimplifyLikeDatatrove() => Assert.Equal("cafe 0 a b 0", TextSimplifier.Simplify("Café 3.14, a—b 2024!"));
}
