// Tests for IFEval length_constraints:number_paragraphs: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class LengthNumberParagraphsTests : IfEvalContractTests
{
    protected override string ExpectedId => "length_constraints:number_paragraphs";
    protected override JsonObject ValidArgs() => Args("{\"num_paragraphs\": 2}");
    protected override string PassingResponse => "First part.\n***\nSecond part.";
    protected override string FailingResponse => "First part.\n***\n***\nSecond part.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{}"), "num_paragraphs"),
    ];
}
