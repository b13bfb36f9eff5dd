// Tests for IFEval keywords:frequency: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class KeywordsFrequencyTests : IfEvalContractTests
{
    protected override string ExpectedId => "keywords:frequency";
    protected override JsonObject ValidArgs() => Args("{\"keyword\": \"cat\", \"frequency\": 2, \"relation\": \"at least\"}");
    protected override string PassingResponse => "Cat and cat.";
    protected override string FailingResponse => "One cat only.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{\"keyword\": \"cat\", \"frequency\": 2, \"relation\": \"more than\"}"), "relation"),
        (Args("{\"keyword\": \"cat\", \"frequency\": \"2\", \"relation\": \"at least\"}"), "frequency"),
    ];
}
