// Tests for math:final_answer: extraction routes and numeric/LaTeX equivalences, on top of the shared contract.
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers;
using Pharos.Eval.Verifiers.MathAnswers;

namespace Pharos.Eval.Tests.Verifiers.MathAnswers;

public sealed class MathFinalAnswerTests : VerifierContractTests
{
    protected override string ExpectedId => "math:final_answer";
    protected override IVerifier Create() => new MathFinalAnswer();
    protected override JsonObject ValidArgs() => Args("""{"answer": "42"}""");
    protected override string PassingResponse => "6 times 7 is 42.\n#### 42";
    protected override string FailingResponse => "I think it is 41.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{}"), "answer"),
        (Args("""{"answer": ["42"]}"""), "answer"),
        (Args("""{"answer": "42", "tolerance": "small"}"""), "tolerance"),
    ];

    [Theory]
    [InlineData("So we get \\boxed{\\frac{3}{4}}.", "0.75", @"\boxed{}")]
    [InlineData("First \\boxed{2}, then finally \\boxed{\\dfrac{1}{2}}", "1/2", @"\boxed{}")]
    [InlineData("Natalia sold 48 + 24 = 72 clips.\n#### 72", "72", "####")]
    [InlineData("The answer is $1,234.50.", "1234.5", "answer is")]
    [InlineData("The final answer is: 25%", "0.25", "answer is")]
    [InlineData("The final answer is: 25%", "25", "answer is")]
    [InlineData("Adding up, she has 3 + 4 = 7 apples", "7", "last number")]
    [InlineData("\\boxed{\\left( 3 \\right)}", "3", @"\boxed{}")]
    [InlineData("\\boxed{-0.5}", "-1/2", @"\boxed{}")]
    [InlineData("\\boxed{-\\frac{1}{2}}", "-0.5", @"\boxed{}")]
    [InlineData("\\boxed{1,000}", "1000", @"\boxed{}")]
    [InlineData("\\boxed{\\text{12 cm}}", "12 cm", @"\boxed{}")]
    [InlineData("\\boxed{x+1}", "x + 1", @"\boxed{}")]
    public void EquivalentAnswersPass(string response, string expected, string how)
    {
        var verdict = new MathFinalAnswer().Check("", response, new JsonObject { ["answer"] = expected });
        Assert.True(verdict.Passed, verdict.Explanation);
        Assert.Contains(how, verdict.Explanation);
    }

    [Theory]
    [InlineData("\\boxed{3/5}", "0.75")]
    [InlineData("#### 1,000", "100")]
    [InlineData("No numbers at all.", "5")]
    public void DifferentAnswersFail(string response, string expected) =>
        Assert.False(new MathFinalAnswer().Check("", response, new JsonObject { ["answer"] = expected }).Passed);

    [Fact]
    public void NumericExpectedAnswerIsAccepted() =>
        Assert.True(new MathFinalAnswer().Check("", "\\boxed{18}", Args("""{"answer": 18}""")).Passed);

    [Fact]
    public void ExplanationSaysWhatWasExtracted() =>
        Assert.Contains("extracted '41'", new MathFinalAnswer().Check("", FailingResponse, ValidArgs()).Explanation);
}
