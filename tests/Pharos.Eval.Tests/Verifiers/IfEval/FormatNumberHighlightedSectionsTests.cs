// Tests for IFEval detectable_format:number_highlighted_sections: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class FormatNumberHighlightedSectionsTests : IfEvalContractTests
{
    protected override string ExpectedId => "detectable_format:number_highlighted_sections";
    protected override JsonObject ValidArgs() => Args("{\"num_highlights\": 2}");
    protected override string PassingResponse => "*one* and *two*";
    protected override string FailingResponse => "*one* and two";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{\"num_highlights\": null}"), "num_highlights"),
    ];
}
