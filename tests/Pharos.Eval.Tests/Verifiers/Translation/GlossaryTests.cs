// Tests for translation:glossary: fractional scores, alternatives, case and inflection options, CJK terms.
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers;
using Pharos.Eval.Verifiers.Translation;

namespace Pharos.Eval.Tests.Verifiers.Translation;

public sealed class GlossaryTests : VerifierContractTests
{
    protected override string ExpectedId => "translation:glossary";
    protected override IVerifier Create() => new Glossary();
    protected override JsonObject ValidArgs() => Args("""{"terms": ["Rechnung", ["Konto", "Kundenkonto"], "Zahlung"]}""");
    protected override string PassingResponse => "Die Rechnung für Ihr Kundenkonto ist nach der Zahlung fällig.";
    protected override string FailingResponse => "Die Rechnung für Ihr Profil ist nach dem Kauf fällig.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{}"), "terms"),
        (Args("""{"terms": [3]}"""), "terms"),
        (Args("""{"terms": ["a"], "inflection": "fuzzy"}"""), "inflection"),
        (Args("""{"terms": ["a"], "case_sensitive": "yes"}"""), "case_sensitive"),
    ];

    [Fact]
    public void TwoOfThreeTermsScoreTwoThirdsAndNameTheMissingOne()
    {
        var verdict = Create().Check("", "Die Rechnung und die Zahlung.", ValidArgs());
        Assert.Equal(2.0 / 3, verdict.Score, 6);
        Assert.Contains("Konto | Kundenkonto", verdict.Explanation);
    }

    [Fact]
    public void ExactMatchingWantsWholeWordsSuffixAllowsEndings()
    {
        var args = Args("""{"terms": ["Rechnung"]}""");
        Assert.False(Create().Check("", "Alle Rechnungen sind bezahlt.", args).Passed);
        args["inflection"] = "suffix";
        Assert.True(Create().Check("", "Alle Rechnungen sind bezahlt.", args).Passed);
        Assert.False(Create().Check("", "Die Abrechnung ist fertig.", args).Passed);
    }

    [Fact]
    public void CaseSensitivityIsAnOption()
    {
        var args = Args("""{"terms": ["Cloud"], "case_sensitive": true}""");
        Assert.False(Create().Check("", "la cloud privée", args).Passed);
        Assert.True(Create().Check("", "la Cloud privée", args).Passed);
    }

    [Fact]
    public void TermsInScriptsWithoutSpacesMatchAsSubstrings() =>
        Assert.True(Create().Check("", "请查看您的发票。", Args("""{"terms": ["发票"]}""")).Passed);
}
