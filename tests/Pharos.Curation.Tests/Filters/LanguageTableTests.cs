// Shipped per-language tables: FineWeb2's configs with its wiring, labels resolve, user tables override, unknown keys are errors.
using Pharos.Curation.Errors;
using Pharos.Curation.Filters;

namespace Pharos.Curation.Tests.Filters;

public sealed class LanguageTableTests
{
    [Fact]
    public void EveryFineWeb2ConfigIsShippedWithItsValues()
    {
        Assert.Equal(1929, FineWeb2Tables.All.Count);
        var table = LanguageTable.Load();
        // configs/deu_Latn.yml at fineweb-2 d0defb24.
        var de = table.For("deu_Latn");
        Assert.Equal("deu_Latn", de.Language);
        Assert.Equal(0.821, de.LanguageScore);
        Assert.Equal(0.263, de.DupLineFrac);
        Assert.Equal(new Dictionary<int, double> { [2] = 0.169, [3] = 0.153, [4] = 0.137 }, de.TopNGrams);
        Assert.Equal(0.098, de.DupNGrams![10]);
        Assert.Equal(0.0, de.LinePunctThr);
        Assert.Equal(0.152, de.NewLineRatio);
        Assert.Equal(0, de.MinAvgWordLength);
        Assert.Equal(15, de.MaxAvgWordLength);
        Assert.Equal(0.774, de.MaxNonAlphaWordsRatio);
        Assert.Equal(["der", "und", "die", "in", "von", "im", "den", "des", "mit", "das", "er", "dem", "als", "wurde", "für"], de.Stopwords);
        // FineWeb2's pipeline script fixes these for every language.
        Assert.Equal((0.0, 0.0, 0.0), (de.DupParaFrac!.Value, de.DupLineCharFrac!.Value, de.DupParaCharFrac!.Value));
        Assert.Equal((999.0, 0.1, 2), (de.ShortLineThr!.Value, de.CharDuplicatesRatio!.Value, de.MinStopWords!.Value));
        Assert.Equal((50, 100_000, 0.1), (de.MinDocWords!.Value, de.MaxDocWords!.Value, de.MaxSymbolWordRatio!.Value));
        foreach (var label in new[] { "cmn_Hani", "jpn_Jpan", "kor_Hang", "hin_Deva", "rus_Cyrl", "arb_Arab", "tha_Thai", "amh_Ethi" })
            Assert.NotEmpty(table.For(label).Stopwords!);
    }

    [Theory]
    [InlineData("de", "deu_Latn")]       // lid.176
    [InlineData("deu", "deu_Latn")]      // ISO 639-3 without script
    [InlineData("pt-BR", "por_Latn")]
    [InlineData("zh-Hant", "cmn_Hani")]
    [InlineData("zh", "cmn_Hani")]
    [InlineData("no", "nob_Latn")]
    [InlineData("nob", "nob_Latn")]
    [InlineData("srp_Latn", "srp_Latn")]
    [InlineData("en", "en")]
    [InlineData("eng_Latn", "en")]
    [InlineData("xx", "default")]
    public void LabelsResolve(string code, string expected) => Assert.Equal(expected, LanguageTable.Load().For(code).Language);

    [Fact]
    public void EveryLid176LabelButEnglishHasAFineWeb2Config()
    {
        Assert.Equal(175, FineWeb2Tables.Lid176Labels.Count);
        foreach (var (label, config) in FineWeb2Tables.Lid176Labels)
            Assert.True(FineWeb2Tables.All.ContainsKey(config), $"{label} → {config}");
    }

    [Fact]
    public void AUserTableSetsOnlyTheFieldsItNames()
    {
        var dir = Directory.CreateTempSubdirectory("pharos-tables-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "deu_Latn.yaml"), "language: deu_Latn\nmax_avg_word_length: 20\n");
            var de = LanguageTable.Load(dir.FullName).For("de");
            Assert.Equal(20, de.MaxAvgWordLength);
            Assert.Equal(0.263, de.DupLineFrac);            // still FineWeb2's
            Assert.Equal(15, LanguageTable.Load().For("de").MaxAvgWordLength);
            // A table under another name of the language (what `calibrate --language de` writes) applies to GlotLID's label too.
            File.WriteAllText(Path.Combine(dir.FullName, "deu_Latn.yaml"), "language: de\nmin_doc_words: 7\n");
            var glot = LanguageTable.Load(dir.FullName).For("deu_Latn");
            Assert.Equal(7, glot.MinDocWords);
            Assert.Equal(0.263, glot.DupLineFrac);
        }
        finally
        {
            dir.Delete(true);
        }
    }

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
