// Tests for translation:numbers: preserved as written, or localised with the target's separators.
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers;
using Pharos.Eval.Verifiers.Translation;

namespace Pharos.Eval.Tests.Verifiers.Translation;

public sealed class NumbersTests : VerifierContractTests
{
    protected override string ExpectedId => "translation:numbers";
    protected override IVerifier Create() => new Numbers();
    protected override JsonObject ValidArgs() => Args("""{"source": "It costs 1,234.5 euros for 3 people and 12,000 km.", "mode": "localize", "target_language": "de"}""");
    protected override string PassingResponse => "Es kostet 1.234,5 Euro für 3 Personen und 12.000 km.";
    protected override string FailingResponse => "Es kostet 1,234.5 Euro für 3 Personen und 12.000 km.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("""{"source": "1", "mode": "round"}"""), "mode"),
        (Args("""{"source": "1", "mode": "localize"}"""), "target_language"),
    ];

    [Fact]
    public void PreserveWantsTheSameCharacters()
    {
        var args = Args("""{"source": "Version 2.5 has 1,024 users."}""");
        Assert.True(Create().Check("", "Version 2.5 hat 1,024 Nutzer.", args).Passed);
        var verdict = Create().Check("", "Version 2,5 hat 1.024 Nutzer.", args);
        Assert.Equal(0.0, verdict.Score);
        Assert.Contains("missing: 2.5, 1,024", verdict.Explanation);
    }

    [Theory]
    [InlineData("fr", "Il coûte 1\u202F234,5 euros.")]
    [InlineData("fr", "Il coûte 1 234,5 euros.")]
    [InlineData("ru", "Стоит 1\u00A0234,5 евро.")]
    [InlineData("ja", "1,234.5ユーロです。")]
    [InlineData("es", "Cuesta 1234,5 euros.")]
    public void LocalisesPerLanguageTable(string language, string target) =>
        Assert.True(Create().Check("", target, new JsonObject { ["source"] = "It costs 1,234.5 euros.", ["mode"] = "localize", ["target_language"] = language }).Passed);

    [Fact]
    public void FailingLocalisationScoresTheShareFound() =>
        Assert.Equal(2.0 / 3, Create().Check("", FailingResponse, ValidArgs()).Score, 6);

    [Fact]
    public void DatesAreLeftToTheDatesVerifier() =>
        Assert.True(Create().Check("", "Am 5. März 2024.", Args("""{"source": "On 2024-03-05."}""")).Passed);
}
