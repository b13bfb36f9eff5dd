// FineWeb quality: line punctuation, short lines, duplicated line characters, list ratio.
using Pharos.Curation.Filters;
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Tests.Filters;

public sealed class FineWebQualityFilterTests : FilterTestBase
{
    protected override DocumentFilter Create() => new FineWebQualityFilter();

    [Fact] public void ProseIsKept() => AssertKept(Prose());

    [Fact]
    public void LinesWithoutPunctuation() =>
        AssertDropped("line_punct_ratio", string.Join("\n", Enumerable.Range(0, 20).Select(i => $"a heading without a stop number {i} here and there")));

    [Fact]
    public void ShortLines() =>
        AssertDropped("short_line_ratio", string.Join("\n", Enumerable.Range(0, 20).Select(i => $"Item {i}."))); // ≤ 30 chars

    [Fact]
    public void DuplicatedLineCharacters()
    {
        var line = "This sentence is long enough to pass the short line check easily.";
        AssertDropped("char_dup_ratio", string.Join("\n", Enumerable.Repeat(line, 3).Concat([Prose(2)])));
    }

    [Fact]
    public void ListRatio()
    {
        var filter = new FineWebQualityFilter(shortLineThr: -1, charDuplicatesRatio: -1);
        var text = string.Join("\n", Enumerable.Range(0, 20).Select(i => $"Point {i}."));
        Assert.Equal("list_ratio", filter.Decide(new Document(text, "x")).Reason); // 19 newlines / 40 words > 0.3
    }

    [Fact]
    public void TerminalPunctuationOfOtherScripts()
    {
        var filter = new FineWebQualityFilter(shortLineThr: -1, newLineRatio: -1);
        Assert.True(filter.Decide(new Document("这是一个句子。\n这是另一个句子。\n第三个句子在这里。", "x")).Keep);
        Assert.True(filter.Decide(new Document("यह एक वाक्य है।\nयह दूसरा वाक्य है।", "x")).Keep);
    }
}
