// The shared test base every verifier's tests inherit: the IVerifier contract (score range, explanations, argument
// errors). That each registered id has such tests, for the class the registry creates, is VerifierRegistryTests'.
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
        var bad = BadArgs.ToList();
        if (bad.Count == 0)
        {
            // Only a verifier that takes no arguments has none to get wrong; the Hugging Face copy of IFEval still gives
            // it every argument name, null, which must not matter.
            Assert.Empty(ValidArgs());
            var verdict = Create().Check(Prompt, PassingResponse, Args("""{"num_words": null, "relation": null, "keywords": null, "language": null}"""));
            Assert.True(verdict.Passed, verdict.Explanation);
            return;
        }
        foreach (var (args, argument) in bad)
        {
            var e = Assert.Throws<VerifierArgumentException>(() => Create().Check(Prompt, PassingResponse, args));
            Assert.IsAssignableFrom<PharosException>(e);
            Assert.Equal(argument, e.Argument);
            Assert.Contains(ExpectedId, e.Message);
            Assert.Contains(argument, e.Message);
        }
    }

    /// <summary>The id these tests are for and the verifier they test (for the registry coverage test).</summary>
    internal (string Id, IVerifier Verifier) Subject() => (ExpectedId, Create());

    protected static JsonObject Args(string json) => JsonNode.Parse(json)!.AsObject();
}
