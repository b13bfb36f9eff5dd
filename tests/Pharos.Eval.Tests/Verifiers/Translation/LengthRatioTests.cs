// Tests for translation:length_ratio: bounds, units and the graded score outside the bounds.
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers;
using Pharos.Eval.Verifiers.Translation;

namespace Pharos.Eval.Tests.Verifiers.Translation;

public sealed class LengthRatioTests : VerifierContractTests
{
    protected override string ExpectedId => "translation:length_ratio";
    protected override IVerifier Create() => new LengthRatio();
    protected override JsonObject ValidArgs() => Args("""{"source": "The cat sleeps on the warm mat.", "min_ratio": 0.8, "max_ratio": 1.5}""");
    protected override string PassingResponse => "Die Katze schläft auf der warmen Matte.";
    protected override string FailingResponse => "Katze.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("""{"source": "x", "min_ratio": 2, "max_ratio": 1}"""), "min_ratio"),
        (Args("""{"source": "x", "unit": "tokens"}"""), "unit"),
        (Args("""{"source": "  "}"""), "source"),
    ];

    [Fact]
    public void TooLongLosesInProportion()
    {
        var verdict = Create().Check("", "Die Katze schläft auf der warmen Matte, weil es draußen kalt ist und sie müde ist.", ValidArgs());
        Assert.InRange(verdict.Score, 0.5, 0.99);
        Assert.Contains("length ratio", verdict.Explanation);
    }

    [Fact]
    public void WordsUnit() =>
        Assert.True(Create().Check("", "eins zwei drei", Args("""{"source": "one two three", "unit": "words", "min_ratio": 1, "max_ratio": 1}""")).Passed);
}
