// Shipped per-language tables: Tower+'s languages present, aliases resolve, defaults fill gaps, unknown keys are errors.
using Pharos.Curation.Errors;
using Pharos.Curation.Filters;

namespace Pharos.Curation.Tests.Filters;

public sealed class LanguageTableTests
{
    [Fact]
    public void TowerPlusLanguagesAreShipped()
    {
        var table = LanguageTable.Load();
        foreach (var lang in new[] { "en", "de", "es", "fr", "it", "ko", "nl", "ru", "pt", "zh", "ja", "cs", "uk", "hi", "is", "pl", "sv", "hu", "ro", "da", "no", "fi" })
        {
            Assert.True(table.Knows(lang), lang);
            var t = table.For(lang);
            Assert.NotEmpty(t.Stopwords!);
            Assert.NotNull(t.DupLineFrac);
            Assert.NotNull(t.TopNGrams);
        }
    }

    [Theory]
    [InlineData("pt-BR", "pt")]
    [InlineData("pt-PT", "pt")]
    [InlineData("zh-Hant", "zh")]
    [InlineData("deu_Latn", "de")]
    [InlineData("nob", "no")]
    [InlineData("xx", "default")]
    public void AliasesResolve(string code, string expected) => Assert.Equal(expected, LanguageTable.Load().For(code).Language);

    [Fact]
    public void UnknownKeyIsAnErrorNamingIt()
    {
        var e = Assert.Throws<RecipeException>(() => LanguageTable.Parse("language: xx\ndup_lines_frac: 0.3\n", "xx.yaml"));
        Assert.Contains("dup_lines_frac", e.Message);
    }

    [Fact]
    public void CalibrationFollowsTheFineWeb2Formula()
    {
        Assert.Equal(0.3, Calibrator.LanguageScoreThreshold([0.1, 0.2, 0.3, 0.4, 0.5]));
        Assert.Equal(0.9, Calibrator.LanguageScoreThreshold([0.99, 0.99, 0.99, 0.99]));
        var scores = new double[] { 0.6, 0.7, 0.8, 0.9, 1.0 };
        var std = Math.Sqrt(scores.Sum(s => (s - 0.8) * (s - 0.8)) / 5);
        Assert.Equal(0.8 - std, Calibrator.LanguageScoreThreshold(scores), 12);
        var texts = Enumerable.Range(0, 50).Select(i => $"Der Hund {i} und die Katze.\nDie Sonne scheint auf das Haus.").ToList();
        var table = new Calibrator().Calibrate("de", texts, scores);
        Assert.Contains("die", table.Stopwords!);
        Assert.NotNull(table.LinePunctThr);
        var yaml = LanguageTableWriter.ToYaml(table);
        Assert.Equal("de", LanguageTable.Parse(yaml, "round-trip").Language);
    }
}
