// The LID step's metadata: language, language_script (from a GlotLID label or the text), language_score, alternatives above 0.01.
using Pharos.Curation.LanguageId;
using Pharos.Curation.Pipeline;
using Pharos.Tests;

namespace Pharos.Curation.Tests.LanguageId;

public sealed class LanguageIdStepTests
{
    static readonly FastTextModel Lid176 = FastTextModel.Load(RepoPaths.Samples("models", "lid.176.ftz"));

    [Theory]
    [InlineData("Die Würde des Menschen ist unantastbar. Sie zu achten und zu schützen ist Verpflichtung aller staatlichen Gewalt.", "de", "Latn")]
    [InlineData("Все люди рождаются свободными и равными в своем достоинстве и правах.", "ru", "Cyrl")]
    [InlineData("人人生而自由，在尊严和权利上一律平等。", "zh", "Hani")]
    [InlineData("すべての人間は、生まれながらにして自由であり、かつ、尊厳と権利とについて平等である。", "ja", "Jpan")]
    public void WritesLanguageScriptScoreAndAlternatives(string text, string language, string script)
    {
        var doc = new Document(text, "x");
        var stats = new StepStats("lid");
        Assert.Single(new LanguageIdStep(Lid176).Run([doc], stats));
        Assert.Equal(language, doc.Language);
        Assert.Equal(script, doc.Metadata[MetadataKeys.LanguageScript]);
        var score = doc.GetDouble(MetadataKeys.LanguageScore)!.Value;
        // fastText's value as is: each hierarchical-softmax level adds its 1e-5 smoothing, so a sure call can exceed 1 slightly.
        Assert.InRange(score, 0.5, 1.0001);
        var alternatives = Assert.IsType<Dictionary<string, double>>(doc.Metadata[MetadataKeys.TopLanguagePairs]);
        Assert.Equal(score, alternatives[language]);
        Assert.All(alternatives.Values, p => Assert.True(p >= 0.01));
        Assert.Equal(1, stats.Counters[$"lang:{language}"]);
    }

    [Theory]
    [InlineData("__label__deu_Latn", "deu", "Latn")]
    [InlineData("__label__zho_Hant", "zho", "Hant")]
    [InlineData("__label__en", "en", null)]
    [InlineData("__label__pt_br", "pt_br", null)]
    public void ParsesGlotLidAndLid176Labels(string label, string language, string? script) =>
        Assert.Equal((language, script), LanguageLabel.Parse(label));

    [Fact]
    public void BadModelFilesAreClearErrors()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("x.bin"), [1, 2, 3, 4, 5, 6, 7, 8]);
        Assert.Contains("bad magic", Assert.Throws<Errors.InvalidModelFileException>(() => FastTextModel.Load(dir.File("x.bin"))).Message);
        var real = File.ReadAllBytes(RepoPaths.Fixtures("Pharos.Curation.Tests", "lid", "lid-hs.ftz"));
        File.WriteAllBytes(dir.File("cut.ftz"), real[..(real.Length / 2)]);
        Assert.Contains("truncated", Assert.Throws<Errors.InvalidModelFileException>(() => FastTextModel.Load(dir.File("cut.ftz"))).Message);
    }
}
