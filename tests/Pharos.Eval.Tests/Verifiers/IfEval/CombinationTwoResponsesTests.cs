// Tests for IFEval combination:two_responses: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class CombinationTwoResponsesTests : IfEvalContractTests
{
    protected override string ExpectedId => "combination:two_responses";
    protected override JsonObject ValidArgs() => Args("{}");
    protected override string PassingResponse => "First answer.\n******\nSecond answer.";
    protected override string FailingResponse => "Same.\n******\nSame.";
}
