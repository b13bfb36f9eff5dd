// Tests for IFEval keywords:letter_frequency: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class KeywordsLetterFrequencyTests : IfEvalContractTests
{
    protected override string ExpectedId => "keywords:letter_frequency";
    protected override JsonObject ValidArgs() => Args("{\"letter\": \"z\", \"let_frequency\": 2, \"let_relation\": \"less than\"}");
    protected override string PassingResponse => "Lazy dogs.";
    protected override string FailingResponse => "Zebra zoo zone.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{\"letter\": \"zz\", \"let_frequency\": 2, \"let_relation\": \"less than\"}"), "letter"),
        (Args("{\"letter\": \"z\", \"let_relation\": \"less than\"}"), "let_frequency"),
    ];
}
