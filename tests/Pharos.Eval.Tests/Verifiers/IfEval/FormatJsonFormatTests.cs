// Tests for IFEval detectable_format:json_format: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class FormatJsonFormatTests : IfEvalContractTests
{
    protected override string ExpectedId => "detectable_format:json_format";
    protected override JsonObject ValidArgs() => Args("{}");
    protected override string PassingResponse => "```json\n{\"a\": 1}\n```";
    protected override string FailingResponse => "{a: 1}";
}
