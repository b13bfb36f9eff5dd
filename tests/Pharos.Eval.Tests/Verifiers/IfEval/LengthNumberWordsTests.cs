// Tests for IFEval length_constraints:number_words: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class LengthNumberWordsTests : IfEvalContractTests
{
    protected override string ExpectedId => "length_constraints:number_words";
    protected override JsonObject ValidArgs() => Args("{\"num_words\": 5, \"relation\": \"at least\"}");
    protected override string PassingResponse => "one two three four five six";
    protected override string FailingResponse => "one two three";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{\"num_words\": 1.5, \"relation\": \"at least\"}"), "num_words"),
    ];
}
