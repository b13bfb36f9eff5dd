// Tests for IFEval combination:repeat_prompt: the shared contract plus its own cases.
using System.Text.Json.Nodes;

namespace Pharos.Eval.Tests.Verifiers.IfEval;

public sealed class CombinationRepeatPromptTests : IfEvalContractTests
{
    protected override string ExpectedId => "combination:repeat_prompt";
    protected override JsonObject ValidArgs() => Args("{\"prompt_to_repeat\": \"Write a poem.\"}");
    protected override string PassingResponse => "Write a poem. Roses are red.";
    protected override string FailingResponse => "Roses are red.";
    protected override string? LooseOnlyResponse => "Sure!\nWrite a poem. Roses are red.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{}"), "prompt_to_repeat"),
    ];
}
