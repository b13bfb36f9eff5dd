// Shared base for IFEval verifier tests: the IVerifier contract in strict mode plus loose-mode behaviour.
using Pharos.Eval.Verifiers;
using Pharos.Eval.Verifiers.IfEval;

namespace Pharos.Eval.Tests.Verifiers;

public abstract class IfEvalContractTests : VerifierContractTests
{
    protected sealed override IVerifier Create() => IfEvalRegistry.Create(ExpectedId, IfEvalMode.Strict);

    /// <summary>A response that fails strictly but passes loosely (e.g. a chatty first line); null where framing cannot make
    /// this instruction fail strictly (then the passing response behind a chatty first line is checked in loose mode).</summary>
    protected virtual string? LooseOnlyResponse => null;

    [Fact]
    public void LooseModeAcceptsWhatStrictAccepts()
    {
        var loose = IfEvalRegistry.Create(ExpectedId, IfEvalMode.Loose);
        Assert.True(loose.Check(Prompt, PassingResponse, ValidArgs()).Passed);
    }

    [Fact]
    public void LooseModeForgivesFraming()
    {
        // Loose mode also scores the response without its first line (and without its last, and without asterisks).
        var response = LooseOnlyResponse ?? "Sure! Here is my answer:\n" + PassingResponse;
        var verdict = IfEvalRegistry.Create(ExpectedId, IfEvalMode.Loose).Check(Prompt, response, ValidArgs());
        Assert.True(verdict.Passed, verdict.Explanation);
        if (LooseOnlyResponse is null) return;
        Assert.False(Create().Check(Prompt, response, ValidArgs()).Passed);
        Assert.Contains("loose:", verdict.Explanation);
    }

    [Fact]
    public void EmptyResponseFailsInBothModes()
    {
        Assert.False(Create().Check(Prompt, "  ", ValidArgs()).Passed);
        Assert.False(IfEvalRegistry.Create(ExpectedId, IfEvalMode.Loose).Check(Prompt, "", ValidArgs()).Passed);
    }
}
