// Shared shape of filter tests (after dotnet/runtime's abstract test classes): decide on one text, assert keep or the exact reason code.
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Tests.Filters;

public abstract class FilterTestBase
{
    protected abstract DocumentFilter Create();

    protected Decision Decide(string text, string? language = null)
    {
        var doc = new Document(text, "t");
        if (language is not null)
            doc.Metadata[MetadataKeys.Language] = language;
        return Create().Decide(doc);
    }

    protected void AssertDropped(string expectedReason, string text)
    {
        var d = Decide(text);
        Assert.False(d.Keep, $"expected drop {expectedReason}");
        Assert.Equal(expectedReason, d.Reason);
    }

    protected void AssertKept(string text)
    {
        var d = Decide(text);
        Assert.True(d.Keep, $"dropped with {d.Reason}");
    }

    /// <summary>English-like prose: varied words, stopwords, full stops; passes every default filter.</summary>
    protected static string Prose(int sentences = 12, int seed = 1)
    {
        var rng = new Random(seed);
        string W() => string.Concat(Enumerable.Range(0, rng.Next(4, 9)).Select(_ => (char)rng.Next('a', 'z' + 1)));
        var lines = new List<string>();
        for (var i = 0; i < sentences; i++)
            lines.Add($"The {W()} of {W()} and {W()} that {W()} with the {W()} {W()} {W()}.");
        return string.Join("\n", lines);
    }
}
