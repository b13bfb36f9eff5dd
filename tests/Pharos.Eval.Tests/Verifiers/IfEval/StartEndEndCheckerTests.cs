// Tests for IFEval startend:end_checker: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class StartEndEndCheckerTests : IfEvalContractTests
{
    protected override string ExpectedId => "startend:end_checker";
    protected override JsonObject ValidArgs() => Args("{\"end_phrase\": \"Any other questions?\"}");
    protected override string PassingResponse => "That is all. Any other questions?";
    protected override string FailingResponse => "Any other questions? That is all.";
    protected override string? LooseOnlyResponse => "That is all. Any other questions?\nThanks for asking!";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{\"end_phrase\": true}"), "end_phrase"),
    ];
}
