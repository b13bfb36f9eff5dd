// Tests for translation:target_language: script shares per language and the pluggable language identifier.
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers;
using Pharos.Eval.Verifiers.LanguageId;
using Pharos.Eval.Verifiers.Translation;

namespace Pharos.Eval.Tests.Verifiers.Translation;

public sealed class TargetLanguageTests : VerifierContractTests
{
    protected override string ExpectedId => "translation:target_language";
    protected override IVerifier Create() => new TargetLanguage();
    protected override JsonObject ValidArgs() => Args("""{"language": "ja"}""");
    protected override string PassingResponse => "このモデルは速いです。";
    protected override string FailingResponse => "The Pharos model is fast.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs =>
    [
        (Args("{}"), "language"),
        (Args("""{"language": "tlh"}"""), "language"),
        (Args("""{"language": "ru", "min_share": "most"}"""), "min_share"),
    ];

    [Theory]
    [InlineData("ru", "Модель Pharos работает быстро.")]
    [InlineData("zh-Hant", "這個模型很快。")]
    [InlineData("ko", "모델이 빠릅니다.")]
    [InlineData("de", "Das Modell ist schnell.")]
    [InlineData("ar", "النموذج سريع.")]
    public void AcceptsTheLanguagesScript(string language, string text) =>
        Assert.True(Create().Check("", text, new JsonObject { ["language"] = language }).Passed);

    [Fact]
    public void WrongScriptScoresItsShare()
    {
        var verdict = Create().Check("", "Hello world", Args("""{"language": "ru"}"""));
        Assert.Equal(0.0, verdict.Score);
        Assert.Contains("Cyrillic", verdict.Explanation);
    }

    [Fact]
    public void APluggedInIdentifierDecidesBetweenLanguagesOfOneScript()
    {
        var verifier = new TargetLanguage(new FixedIdentifier("en"));
        var verdict = verifier.Check("", "The model is fast.", Args("""{"language": "de"}"""));
        Assert.False(verdict.Passed);
        Assert.Contains("identifier says 'en'", verdict.Explanation);
        Assert.True(new TargetLanguage(new FixedIdentifier("de")).Check("", "Das Modell.", Args("""{"language": "de-AT"}""")).Passed);
    }

    sealed class FixedIdentifier(string code) : ILanguageIdentifier
    {
        public string? Identify(string text) => code;
    }
}
