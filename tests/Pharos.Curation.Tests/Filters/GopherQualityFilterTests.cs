// Gopher quality: every reason code, symbol words excluded from counts and lengths as in datatrove.
using Pharos.Curation.Filters;
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Tests.Filters;

public sealed class GopherQualityFilterTests : FilterTestBase
{
    protected override DocumentFilter Create() => new GopherQualityFilter();

    [Fact] public void ProseIsKept() => AssertKept(Prose());

    [Fact] public void ShortDoc() => AssertDropped("gopher_short_doc", "The cat and the dog with a hat. " + string.Join(" ", Enumerable.Repeat("!", 100)));

    [Fact] public void LongDoc() => Assert.Equal("gopher_long_doc", new GopherQualityFilter(maxDocWords: 20).Decide(new Document(Prose(), "x")).Reason);

    [Fact] public void BelowAverageLength() => AssertDropped("gopher_below_avg_threshold", string.Join(" ", Enumerable.Repeat("a b of the to be", 20)));

    [Fact] public void AboveAverageLength() => AssertDropped("gopher_above_avg_threshold", "the and " + string.Join(" ", Enumerable.Repeat("incomprehensibilities", 60)));

    [Fact] public void Hashes() => AssertDropped("gopher_too_many_hashes", Prose() + " " + new string('#', 30));

    [Fact] public void Ellipsis() => AssertDropped("gopher_too_many_ellipsis", Prose() + string.Concat(Enumerable.Repeat(" so…", 40)));

    [Fact] public void Bullets() => AssertDropped("gopher_too_many_bullets", string.Join("\n", Prose().Split('\n').Select(l => "- " + l)));

    [Fact]
    public void EndEllipsis() =>
        AssertDropped("gopher_too_many_end_ellipsis", string.Join("\n", Prose(12).Split('\n').Select((l, i) => i % 2 == 0 ? l[..^1] + "…" : l)));

    [Fact] public void NonAlphabeticWords() => AssertDropped("gopher_below_alpha_threshold", Prose(6) + " " + string.Join(" ", Enumerable.Range(1000, 120).Select(i => i.ToString())));

    [Fact]
    public void StopWords()
    {
        var text = string.Join(" ", Enumerable.Range(0, 80).Select(i => $"word{(char)('a' + i % 26)}ing"));
        AssertDropped("gopher_enough_stop_words", text);
    }

    [Fact]
    public void PerLanguageStopWordsFromTheTable()
    {
        var table = LanguageTable.Load();
        var filter = new PerLanguageFilter("gopher_quality", table, GopherQualityFilter.From);
        var german = string.Join(" ", Enumerable.Repeat("Der Hund und die Katze spielen im Garten mit einem Ball.", 10));
        var doc = new Document(german, "d") { Metadata = { [MetadataKeys.Language] = "de" } };
        Assert.True(filter.Decide(doc).Keep);
        // The same text judged with English stopwords fails: the table, not a branch, makes the difference.
        var asEnglish = new Document(german, "e") { Metadata = { [MetadataKeys.Language] = "en" } };
        Assert.Equal("gopher_enough_stop_words", filter.Decide(asEnglish).Reason);
    }
}
