// Tests for translation:dates: ISO, US and English long dates, preserved or written the target's way.
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers;
using Pharos.Eval.Verifiers.Translation;

namespace Pharos.Eval.Tests.Verifiers.Translation;

public sealed class DatesTests : VerifierContractTests
{
    protected override string ExpectedId => "translation:dates";
    protected override IVerifier Create() => new Dates();
    protected override JsonObject ValidArgs() => Args("""{"source": "Due on March 5, 2024 or 2024-04-01.", "mode": "localize", "target_language": "de"}""");
    protected override string PassingResponse => "Fällig am 5. März 2024 oder 01.04.2024.";
    protected override string FailingResponse => "Fällig am March 5, 2024 oder 2024-04-01.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("""{"source": "x", "mode": "localize", "target_language": "xx"}"""), "target_language"),
        (Args("""{"mode": "preserve"}"""), "source"),
    ];

    [Theory]
    [InlineData("fr", "Le 5 mars 2024.")]
    [InlineData("es", "El 5 de marzo de 2024.")]
    [InlineData("ja", "2024年3月5日に。")]
    [InlineData("ko", "2024년 3월 5일에.")]
    [InlineData("pt-BR", "Em 05/03/2024.")]
    public void LocalisedForms(string language, string target) =>
        Assert.True(Create().Check("", target, new JsonObject { ["source"] = "On 3/5/2024.", ["mode"] = "localize", ["target_language"] = language }).Passed);

    [Fact]
    public void PreserveWantsTheSourceForm()
    {
        var args = Args("""{"source": "Released 2024-03-05."}""");
        Assert.True(Create().Check("", "Veröffentlicht 2024-03-05.", args).Passed);
        Assert.False(Create().Check("", "Veröffentlicht am 5. März 2024.", args).Passed);
    }
}
