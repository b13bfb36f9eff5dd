// Tests for IFEval detectable_content:number_placeholders: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class ContentNumberPlaceholdersTests : IfEvalContractTests
{
    protected override string ExpectedId => "detectable_content:number_placeholders";
    protected override JsonObject ValidArgs() => Args("{\"num_placeholders\": 2}");
    protected override string PassingResponse => "Send it to [name] at [address].";
    protected override string FailingResponse => "Send it to [name].";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{\"num_placeholders\": \"two\"}"), "num_placeholders"),
    ];
}
