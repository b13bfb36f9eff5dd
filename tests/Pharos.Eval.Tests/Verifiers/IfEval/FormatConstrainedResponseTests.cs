// Tests for IFEval detectable_format:constrained_response: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class FormatConstrainedResponseTests : IfEvalContractTests
{
    protected override string ExpectedId => "detectable_format:constrained_response";
    protected override JsonObject ValidArgs() => Args("{}");
    protected override string PassingResponse => "My answer is yes.";
    protected override string FailingResponse => "Yes, definitely.";
}
