// Tests for IFEval language:response_language: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class LanguageResponseLanguageTests : IfEvalContractTests
{
    protected override string ExpectedId => "language:response_language";
    protected override JsonObject ValidArgs() => Args("{\"language\": \"de\"}");
    protected override string PassingResponse => "Das ist ein Haus und es ist nicht klein.";
    protected override string FailingResponse => "This is a house and it is not small.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{\"language\": 5}"), "language"),
    ];
}
