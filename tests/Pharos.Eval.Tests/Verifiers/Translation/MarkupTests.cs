// Tests for translation:markup: HTML tags, href values, Markdown code, links, bold and italic markers.
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers;
using Pharos.Eval.Verifiers.Translation;

namespace Pharos.Eval.Tests.Verifiers.Translation;

public sealed class MarkupTests : VerifierContractTests
{
    const string Source = "Click <b>Save</b> or see <a href=\"/help\">help</a>. Run `pharos eval` and read the [guide](https://x.org/g). It is **very** *fast*.";

    protected override string ExpectedId => "translation:markup";
    protected override IVerifier Create() => new Markup();
    protected override JsonObject ValidArgs() => new() { ["source"] = Source };
    protected override string PassingResponse =>
        "Klicken Sie auf <b>Speichern</b> oder lesen Sie die <a href=\"/help\">Hilfe</a>. Führen Sie `pharos eval` aus und lesen Sie die [Anleitung](https://x.org/g). Es ist **sehr** *schnell*.";
    protected override string FailingResponse =>
        "Klicken Sie auf Speichern oder lesen Sie die <a href=\"/hilfe\">Hilfe</a>. Führen Sie `pharos auswerten` aus und lesen Sie die Anleitung. Es ist sehr *schnell*.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs => [(Args("{}"), "source")];

    [Fact]
    public void ListsWhatWasLost()
    {
        var verdict = Create().Check("", FailingResponse, ValidArgs());
        Assert.Contains("tag <b>", verdict.Explanation);
        Assert.Contains("tag <a> href=\"/help\"", verdict.Explanation);
        Assert.Contains("code `pharos eval`", verdict.Explanation);
        Assert.Contains("link https://x.org/g", verdict.Explanation);
        Assert.Contains("bold **", verdict.Explanation);
        Assert.InRange(verdict.Score, 0.01, 0.99);
    }

    [Fact]
    public void TagsMayMoveWithTheWords() =>
        Assert.True(Create().Check("", "<i>Rot</i> ist <b>das Auto</b>.", new JsonObject { ["source"] = "The <b>car</b> is <i>red</i>." }).Passed);
}
