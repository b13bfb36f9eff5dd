// Tests for IFEval change_case:capital_word_frequency: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class ChangeCaseCapitalWordFrequencyTests : IfEvalContractTests
{
    protected override string ExpectedId => "change_case:capital_word_frequency";
    protected override JsonObject ValidArgs() => Args("{\"capital_frequency\": 2, \"capital_relation\": \"at least\"}");
    protected override string PassingResponse => "THIS is VERY important.";
    protected override string FailingResponse => "This is Very important.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{\"capital_frequency\": 2, \"capital_relation\": \"most\"}"), "capital_relation"),
    ];
}
