// Tests for IFEval keywords:forbidden_words: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class KeywordsForbiddenWordsTests : IfEvalContractTests
{
    protected override string ExpectedId => "keywords:forbidden_words";
    protected override JsonObject ValidArgs() => Args("{\"forbidden_words\": [\"bad\", \"evil\"]}");
    protected override string PassingResponse => "A badge is fine here.";
    protected override string FailingResponse => "That was bad.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{\"forbidden_words\": [1]}"), "forbidden_words"),
    ];
}
