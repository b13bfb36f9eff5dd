// Tests for IFEval detectable_content:postscript: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class ContentPostscriptTests : IfEvalContractTests
{
    protected override string ExpectedId => "detectable_content:postscript";
    protected override JsonObject ValidArgs() => Args("{\"postscript_marker\": \"P.S.\"}");
    protected override string PassingResponse => "Hello.\n\nP.S. See you soon.";
    protected override string FailingResponse => "Hello. See you soon.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{\"postscript_marker\": [\"P.S.\"]}"), "postscript_marker"),
    ];
}
