// Tests for translation:placeholders: each placeholder style, reordering allowed, missing and invented ones counted.
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers;
using Pharos.Eval.Verifiers.Translation;

namespace Pharos.Eval.Tests.Verifiers.Translation;

public sealed class PlaceholdersTests : VerifierContractTests
{
    const string Source = "Hello {0}, you have %d new messages from {{sender}} (%1$s, %(name)s, ${user}). 50% off!";

    protected override string ExpectedId => "translation:placeholders";
    protected override IVerifier Create() => new Placeholders();
    protected override JsonObject ValidArgs() => new() { ["source"] = Source };
    protected override string PassingResponse => "Hallo {0}, Sie haben %d neue Nachrichten von {{sender}} (%1$s, %(name)s, ${user}). 50 % Rabatt!";
    protected override string FailingResponse => "Hallo {0}, Sie haben neue Nachrichten von {{Absender}} (%1$s, %(name)s, ${user}).";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs => [(Args("{}"), "source"), (Args("""{"source": 1}"""), "source")];

    [Fact]
    public void FindsEveryStyleButNotAPercentSign() =>
        Assert.Equal(["{0}", "%d", "{{sender}}", "%1$s", "%(name)s", "${user}"], ProtectedSpans.Placeholders(Source));

    [Fact]
    public void ScoreCountsMissingAndInventedPlaceholders()
    {
        var verdict = Create().Check("", FailingResponse, ValidArgs());
        Assert.Equal(4.0 / 7, verdict.Score, 6); // 4 of 6 kept, plus one invented {{Absender}}
        Assert.Contains("missing: %d, {{sender}}", verdict.Explanation);
        Assert.Contains("not in the source: {{Absender}}", verdict.Explanation);
    }

    [Fact]
    public void OrderMayChange() =>
        Assert.True(Create().Check("", "%d Nachrichten: {{sender}} {0} %1$s %(name)s ${user}", ValidArgs()).Passed);
}
