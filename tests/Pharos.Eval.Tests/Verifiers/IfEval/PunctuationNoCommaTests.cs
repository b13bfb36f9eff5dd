// Tests for IFEval punctuation:no_comma: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class PunctuationNoCommaTests : IfEvalContractTests
{
    protected override string ExpectedId => "punctuation:no_comma";
    protected override JsonObject ValidArgs() => Args("{}");
    protected override string PassingResponse => "No commas here.";
    protected override string FailingResponse => "Well, a comma.";
}
