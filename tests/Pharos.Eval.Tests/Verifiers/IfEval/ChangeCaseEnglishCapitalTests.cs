// Tests for IFEval change_case:english_capital: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class ChangeCaseEnglishCapitalTests : IfEvalContractTests
{
    protected override string ExpectedId => "change_case:english_capital";
    protected override JsonObject ValidArgs() => Args("{}");
    protected override string PassingResponse => "THIS IS THE ANSWER AND IT IS IN CAPITALS.";
    protected override string FailingResponse => "This is the answer.";
}
