// Gopher repetition: each reason code, with datatrove's definitions (joined n-gram lengths, non-overlapping duplicate runs).
using Pharos.Curation.Filters;
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Tests.Filters;

public sealed class GopherRepetitionFilterTests : FilterTestBase
{
    protected override DocumentFilter Create() => new GopherRepetitionFilter();

    [Fact] public void ProseIsKept() => AssertKept(Prose());

    [Fact]
    public void DuplicateParagraphs() => AssertDropped("dup_para_frac", "alpha beta gamma\n\nalpha beta gamma\n\nalpha beta gamma\n\ndelta epsilon");

    [Fact]
    public void DuplicateLinesWhenParagraphChecksAreOff()
    {
        var filter = new GopherRepetitionFilter(dupParaFrac: -1, dupParaCharFrac: -1);
        var d = filter.Decide(new Document("same line here\nsame line here\nsame line here\nother one", "x"));
        Assert.Equal("dup_line_frac", d.Reason);
    }

    [Fact]
    public void DuplicateLineCharacters()
    {
        // 1 of 4 lines repeats (0.25 ≤ 0.3) but it is long: its characters exceed 20% of the text.
        var longLine = string.Join(' ', Enumerable.Range(0, 30).Select(i => $"w{i}"));
        var filter = new GopherRepetitionFilter(dupParaFrac: -1, dupParaCharFrac: -1);
        Assert.Equal("dup_line_char_frac", filter.Decide(new Document($"{longLine}\n{longLine}\nshort a\nshort b", "x")).Reason);
    }

    [Fact]
    public void TopBigram()
    {
        // "of the" repeated: the top 2-gram's "of the" length (6) × count dominates the text.
        var text = string.Join(" ", Enumerable.Range(0, 40).Select(i => $"of the x{i}"));
        Assert.Equal("top_2_gram", new GopherRepetitionFilter(-1, -1, -1, -1).Decide(new Document(text, "x")).Reason);
    }

    [Fact]
    public void DuplicatedFiveGrams()
    {
        var unique = string.Join(" ", Enumerable.Range(0, 60).Select(i => $"u{i}x"));
        var repeated = string.Join(" ", Enumerable.Repeat("a b c d e", 30));
        var filter = new GopherRepetitionFilter(-1, -1, -1, -1, topNGrams: new Dictionary<int, double>());
        Assert.Equal("duplicated_5_n_grams", filter.Decide(new Document(unique + " " + repeated, "x")).Reason);
    }

    [Fact]
    public void EmptyTextHasItsOwnReason() => Assert.Equal("empty_doc", Create().Decide(new Document("", "x")).Reason);
}
