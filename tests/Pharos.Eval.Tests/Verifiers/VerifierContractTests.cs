// The shared test base every verifier's tests inherit: the IVerifier contract (id, score range, explanations, errors, registry).
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers;
using Pharos.Models.Errors;

namespace Pharos.Eval.Tests.Verifiers;

public abstract class VerifierContractTests
{
    protected abstract string ExpectedId { get; }
    protected abstract IVerifier Create();
    protected abstract JsonObject ValidArgs();
    protected abstract string PassingResponse { get; }
    protected abstract string FailingResponse { get; }
    protected virtual string Prompt => "Write something.";

    /// <summary>Arguments that must be refused, with the argument name the error must mention.</summary>
    protected virtual IEnumerable<(JsonObject Args, string Argument)> BadArgs => [];

    [Fact]
    public void IdIsStable() => Assert.Equal(ExpectedId, Create().Id);

    [Fact]
    public void PassingResponseScoresOne()
    {
        var verdict = Create().Check(Prompt, PassingResponse, ValidArgs());
        Assert.True(verdict.Passed, verdict.Explanation);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Explanation));
    }

    [Fact]
    public void FailingResponseScoresBelowOneAndSaysWhy()
    {
        var verdict = Create().Check(Prompt, FailingResponse, ValidArgs());
        Assert.True(verdict.Score < 1.0, $"score {verdict.Score}: {verdict.Explanation}");
        Assert.False(string.IsNullOrWhiteSpace(verdict.Explanation));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n  ")]
    [InlineData("😀 ñ 漢字 한국어 *** ****** ``` {0} %s <b> P.S.")]
    [InlineData("\"")]
    public void OddResponsesStayInRange(string response)
    {
        var verdict = Create().Check(Prompt, response, ValidArgs());
        Assert.InRange(verdict.Score, 0.0, 1.0);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Explanation));
    }

    [Fact]
    public void CheckIsDeterministicAndLeavesArgumentsAlone()
    {
        var args = ValidArgs();
        var before = args.ToJsonString();
        var verifier = Create();
        Assert.Equal(verifier.Check(Prompt, FailingResponse, args), verifier.Check(Prompt, FailingResponse, args));
        Assert.Equal(before, args.ToJsonString());
    }

    [Fact]
    public void BadArgumentsThrowAnErrorNamingTheArgument()
    {
        foreach (var (args, argument) in BadArgs)
        {
            var e = Assert.Throws<VerifierArgumentException>(() => Create().Check(Prompt, PassingResponse, args));
            Assert.IsAssignableFrom<PharosException>(e);
            Assert.Equal(argument, e.Argument);
            Assert.Contains(ExpectedId, e.Message);
            Assert.Contains(argument, e.Message);
        }
    }

    [Fact]
    public void RegistryCreatesIt() => Assert.IsType(Create().GetType(), VerifierRegistry.Create(ExpectedId));

    protected static JsonObject Args(string json) => JsonNode.Parse(json)!.AsObject();
}
