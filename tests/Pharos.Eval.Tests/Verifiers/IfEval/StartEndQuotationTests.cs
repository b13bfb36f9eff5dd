// Tests for IFEval startend:quotation: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class StartEndQuotationTests : IfEvalContractTests
{
    protected override string ExpectedId => "startend:quotation";
    protected override JsonObject ValidArgs() => Args("{}");
    protected override string PassingResponse => "\"Quoted answer.\"";
    protected override string FailingResponse => "Unquoted answer.";
    protected override string? LooseOnlyResponse => "Here you go:\n\"Quoted answer.\"";
}
