// URL filter, C4, language score/keep filters, formatters (encoding, PII, tables) and the language gate.
using Pharos.Curation.Filters;
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Tests.Filters;

public sealed class OtherFilterTests
{
    static Document Doc(string text, string? url = null, string? lang = null, double? score = null)
    {
        var d = new Document(text, "x");
        if (url is not null) d.Metadata[MetadataKeys.Url] = url;
        if (lang is not null) d.Metadata[MetadataKeys.Language] = lang;
        if (score is not null) d.Metadata[MetadataKeys.LanguageScore] = score.Value;
        return d;
    }

    [Theory]
    [InlineData("https://www.bad.example/page", "domain")]
    [InlineData("https://news.bad.example/page", "domain")]
    [InlineData("https://cdn.ok.example/x", "subdomain")]
    [InlineData("https://ok.example/blocked/page.html", "url")]
    [InlineData("https://ok.example/free-casino-bonus", "hard_blacklisted")]
    [InlineData("https://ok.example/hot-sexy-deals", "soft_blacklisted")]
    [InlineData("https://ok.example/megapornhub", "blacklisted_subword")]
    [InlineData("https://ok.example/article/42", null)]
    public void UrlFilterCodes(string url, string? reason)
    {
        var filter = new UrlFilter(["bad.example"], ["cdn.ok.example"], ["ok.example/blocked/page.html"], ["casino"], ["hot", "sexy", "deals"], ["porn", "xxx"]);
        var d = filter.Decide(Doc("t", url));
        Assert.Equal(reason is null, d.Keep);
        Assert.Equal(reason, d.Reason);
    }

    [Fact]
    public void AhoCorasickFindsOverlappingPatterns()
    {
        var ac = new Pharos.Curation.Text.AhoCorasick(["he", "she", "his", "hers"]);
        Assert.Equal("she", ac.FindFirst("ushers"));
        Assert.Null(ac.FindFirst("xyz"));
        Assert.Equal("hers", new Pharos.Curation.Text.AhoCorasick(["hers", "rsx"]).FindFirst("ahers"));
    }

    [Fact]
    public void C4RemovesLinesAndDropsPages()
    {
        var c4 = new C4QualityFilter();
        var text = "Click here\nThis site uses cookies to work well.\nEnable javascript to see this page now.\n" +
                   string.Join("\n", Enumerable.Range(0, 6).Select(i => $"This is a complete sentence number {i} with words.[1]"));
        var doc = Doc(text);
        Assert.True(c4.Decide(doc).Keep);
        Assert.DoesNotContain("Click here", doc.Text);
        Assert.DoesNotContain("cookies", doc.Text);
        Assert.DoesNotContain("javascript", doc.Text);
        Assert.DoesNotContain("[1]", doc.Text);
        Assert.Equal("lorem_ipsum", c4.Decide(Doc("Lorem ipsum dolor sit amet, consectetur.")).Reason);
        Assert.Equal("curly_bracket", c4.Decide(Doc("function x() { return 1; } is code here.")).Reason);
        Assert.Equal("too_few_sentences", c4.Decide(Doc("Only one sentence is here today.")).Reason);
    }

    [Fact]
    public void LanguageScoreUsesEachLanguagesThreshold()
    {
        var table = LanguageTable.Parse("language: default\nlanguage_score: 0.5\n", "t");
        var filter = new LanguageScoreFilter(LanguageTable.Load());
        // FineWeb2's deu_Latn config: language_score 0.821 (lid.176's "de" resolves to it).
        Assert.True(filter.Decide(Doc("x", lang: "de", score: 0.83)).Keep);
        Assert.Equal("language_score", filter.Decide(Doc("x", lang: "de", score: 0.8)).Reason);
        Assert.Equal("no_language_score", filter.Decide(Doc("x")).Reason);
        Assert.Equal(0.5, table.LanguageScore);
        Assert.Equal("language_not_kept", new LanguageKeepFilter(["pt"]).Decide(Doc("x", lang: "es")).Reason);
    }

    [Fact]
    public void PiiReplacesEmailsAndPublicIpsOnly()
    {
        var pii = new PiiFormatter();
        var text = pii.Format("Mail jane.doe@company.com or 8.8.8.8, not 192.168.1.1 nor 10.0.0.1; version 1.2.3.4.5 stays.");
        Assert.DoesNotContain("jane.doe", text);
        Assert.Contains("email@example.com", text);
        Assert.DoesNotContain("8.8.8.8", text);
        Assert.Contains("192.168.1.1", text);
        Assert.Contains("10.0.0.1", text);
        Assert.Contains("1.2.3.4.5", text);
    }

    [Fact]
    public void TableArtifactsAreRemoved()
    {
        var f = new TableArtifactFormatter();
        Assert.Equal("Name | Age\nAda | 36\nText after.", f.Format("| Name | Age |\n|---|---|\n| Ada | 36 |\nText after."));
        Assert.Equal("no tables here", f.Format("no tables here"));
    }

    [Fact]
    public void EncodingFixesMojibakeAndControls()
    {
        var f = new EncodingFixer();
        Assert.Equal("café déjàvu", f.Format("cafÃ© dÃ©jÃ\u00A0vu").Replace('\u00A0', ' '));
        Assert.Equal("line one\nline two", f.Format("line one\r\nline\u0007 two"));
        Assert.Equal("São Paulo — Ãgua", f.Format("São Paulo — Ãgua")); // real text that does not round-trip stays
        Assert.Equal("e\u0301".Normalize(), f.Format("e\u0301"));
    }

    [Fact]
    public void LanguageGateRunsStepOnlyForListedLanguages()
    {
        var gated = new LanguageGate(new GopherQualityFilter(), ["en"]);
        var docs = new[] { Doc("too short", lang: "en"), Doc("too short", lang: "ja"), Doc(string.Join(" ", Enumerable.Repeat("the cat and the dog sat with hats.", 10)), lang: "en") };
        var stats = new StepStats("gate");
        var kept = gated.Run(docs, stats).ToList();
        Assert.Equal(2, kept.Count);
        Assert.Equal("ja", kept[0].Language);
        Assert.Equal(1, stats.Dropped);
        Assert.Equal(1, stats.Counters["passed_ungated"]);
    }

    [Fact]
    public void FilterBaseCountsAndSavesRejects()
    {
        var rejected = new List<Document>();
        var filter = new GopherQualityFilter { Rejected = (d, _) => rejected.Add(d) };
        var stats = new StepStats("g");
        var kept = filter.Run([Doc("short"), Doc(string.Join(" ", Enumerable.Repeat("the cat and the dog sat with hats.", 10)))], stats).ToList();
        Assert.Single(kept);
        Assert.Single(rejected);
        Assert.Equal("gopher_short_doc", rejected[0].Metadata[MetadataKeys.DropReason]);
        Assert.Equal((2, 1, 1), (stats.In, stats.Kept, stats.Dropped));
        Assert.Equal(1, stats.DroppedByReason["gopher_short_doc"]);
    }
}
