// Tests for VerifierRegistry and IfEvalRegistry: every id resolves and has contract tests for the class it creates,
// unknown ids fail with a PharosException naming them.
using Pharos.Eval.Verifiers;
using Pharos.Eval.Verifiers.IfEval;
using Pharos.Models.Errors;

namespace Pharos.Eval.Tests.Verifiers;

public sealed class VerifierRegistryTests
{
    [Fact]
    public void HasAll25IfEvalTypesAndTheOthers()
    {
        Assert.Equal(25, IfEvalRegistry.Ids.Count);
        Assert.Equal(34, VerifierRegistry.Ids.Count());
        foreach (var id in VerifierRegistry.Ids) Assert.Equal(id, VerifierRegistry.Create(id).Id);
    }

    [Fact]
    public void EveryRegisteredIdHasContractTestsForTheClassTheRegistryCreates()
    {
        var subjects = typeof(VerifierContractTests).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(VerifierContractTests)))
            .Select(t => ((VerifierContractTests)Activator.CreateInstance(t)!).Subject()).ToList();
        // No verifier is registered without its contract tests, and no tests are for an id the registry lacks.
        Assert.Equal(VerifierRegistry.Ids.Order(StringComparer.Ordinal), subjects.Select(s => s.Id).Order(StringComparer.Ordinal));
        foreach (var (id, verifier) in subjects)
        {
            Assert.Equal(id, verifier.Id);
            Assert.IsType(verifier.GetType(), VerifierRegistry.Create(id));
        }
    }

    [Fact]
    public void UnknownIdNamesTheIdAndTheItem()
    {
        var e = Assert.Throws<UnknownVerifierException>(() => VerifierRegistry.Create("keywords:exist", item: "prompt 1001"));
        Assert.IsAssignableFrom<PharosException>(e);
        Assert.Equal("prompt 1001: unknown verifier id 'keywords:exist'", e.Message);
    }

    [Fact]
    public void ModeIsPassedToIfEvalVerifiers() =>
        Assert.Equal(IfEvalMode.Loose, ((IfEvalInstruction)VerifierRegistry.Create("punctuation:no_comma", IfEvalMode.Loose)).Mode);

    [Fact]
    public void ArgumentErrorsNameTheItemTheVerifierAndTheArgument()
    {
        var verifier = VerifierRegistry.Create("length_constraints:number_words");
        var args = System.Text.Json.Nodes.JsonNode.Parse("""{"num_words": "many", "relation": "at least"}""")!.AsObject();
        var e = Assert.Throws<VerifierArgumentException>(() => verifier.Check("prompt 1012", "p", "r", args));
        Assert.Equal("prompt 1012: verifier 'length_constraints:number_words': argument 'num_words' must be an integer, got \"many\"", e.Message);
        Assert.Equal("prompt 1012", e.Item);
    }

    [Fact]
    public void NullFilledArgumentsAsInTheHuggingFaceCopyAreAccepted()
    {
        // The Hugging Face IFEval dataset gives every instruction every argument name, unused ones null.
        var args = System.Text.Json.Nodes.JsonNode.Parse("""{"num_highlights": 2, "relation": null, "keywords": null, "num_words": null}""")!.AsObject();
        Assert.True(VerifierRegistry.Create("detectable_format:number_highlighted_sections").Check("", "*a* and *b*", args).Passed);
    }
}
