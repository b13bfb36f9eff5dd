// Tests for VerifierRegistry and IfEvalRegistry: every id resolves, unknown ids fail with a PharosException naming them.
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
    public void UnknownIdNamesTheIdAndTheItem()
    {
        var e = Assert.Throws<UnknownVerifierException>(() => VerifierRegistry.Create("keywords:exist", item: "prompt 1001"));
        Assert.IsAssignableFrom<PharosException>(e);
        Assert.Equal("prompt 1001: unknown verifier id 'keywords:exist'", e.Message);
    }

    [Fact]
    public void ModeIsPassedToIfEvalVerifiers() =>
        Assert.Equal(IfEvalMode.Loose, ((IfEvalInstruction)VerifierRegistry.Create("punctuation:no_comma", IfEvalMode.Loose)).Mode);
}
