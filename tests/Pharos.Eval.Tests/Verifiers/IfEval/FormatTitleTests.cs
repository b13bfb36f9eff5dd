// Tests for IFEval detectable_format:title: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class FormatTitleTests : IfEvalContractTests
{
    protected override string ExpectedId => "detectable_format:title";
    protected override JsonObject ValidArgs() => Args("{}");
    protected override string PassingResponse => "<<My Title>>\nText.";
    protected override string FailingResponse => "My Title\nText.";
}
