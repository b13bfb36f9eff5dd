// Tests for IFEval length_constraints:number_sentences: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class LengthNumberSentencesTests : IfEvalContractTests
{
    protected override string ExpectedId => "length_constraints:number_sentences";
    protected override JsonObject ValidArgs() => Args("{\"num_sentences\": 3, \"relation\": \"less than\"}");
    protected override string PassingResponse => "One sentence. Two sentences.";
    protected override string FailingResponse => "One. Two. Three. Four.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{\"num_sentences\": 3}"), "relation"),
    ];
}
