// Tests for IFEval detectable_format:multiple_sections: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class FormatMultipleSectionsTests : IfEvalContractTests
{
    protected override string ExpectedId => "detectable_format:multiple_sections";
    protected override JsonObject ValidArgs() => Args("{\"section_spliter\": \"Section\", \"num_sections\": 2}");
    protected override string PassingResponse => "Section 1\nIntro\nSection 2\nBody";
    protected override string FailingResponse => "Section 1\nIntro only";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{\"num_sections\": 2}"), "section_spliter"),
    ];
}
