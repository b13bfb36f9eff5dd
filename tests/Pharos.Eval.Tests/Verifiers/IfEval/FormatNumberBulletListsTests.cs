// Tests for IFEval detectable_format:number_bullet_lists: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class FormatNumberBulletListsTests : IfEvalContractTests
{
    protected override string ExpectedId => "detectable_format:number_bullet_lists";
    protected override JsonObject ValidArgs() => Args("{\"num_bullets\": 2}");
    protected override string PassingResponse => "* one\n* two";
    protected override string FailingResponse => "* one\n* two\n- three";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{}"), "num_bullets"),
    ];
}
