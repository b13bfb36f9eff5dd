// Tests for IFEval keywords:existence: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class KeywordsExistenceTests : IfEvalContractTests
{
    protected override string ExpectedId => "keywords:existence";
    protected override JsonObject ValidArgs() => Args("{\"keywords\": [\"river\", \"bank\"]}");
    protected override string PassingResponse => "The river bank was quiet.";
    protected override string FailingResponse => "The river was quiet.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{\"keywords\": \"river\"}"), "keywords"),
        (Args("{}"), "keywords"),
    ];
}
