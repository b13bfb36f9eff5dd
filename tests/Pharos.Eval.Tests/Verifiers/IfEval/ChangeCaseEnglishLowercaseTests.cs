// Tests for IFEval change_case:english_lowercase: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class ChangeCaseEnglishLowercaseTests : IfEvalContractTests
{
    protected override string ExpectedId => "change_case:english_lowercase";
    protected override JsonObject ValidArgs() => Args("{}");
    protected override string PassingResponse => "this is the answer and it is in lowercase.";
    protected override string FailingResponse => "This is the answer.";
}
