// Tests for IFEval length_constraints:nth_paragraph_first_word: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class LengthNthParagraphFirstWordTests : IfEvalContractTests
{
    protected override string ExpectedId => "length_constraints:nth_paragraph_first_word";
    protected override JsonObject ValidArgs() => Args("{\"num_paragraphs\": 2, \"nth_paragraph\": 2, \"first_word\": \"then\"}");
    protected override string PassingResponse => "First we wait.\n\nThen, we go.";
    protected override string FailingResponse => "First we wait.\n\nNow we go.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{\"num_paragraphs\": 2, \"nth_paragraph\": 0, \"first_word\": \"then\"}"), "nth_paragraph"),
    ];
}
