// Tests for translation:only: preambles and trailing notes in several languages, quotes, and no false alarms.
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers;
using Pharos.Eval.Verifiers.Translation;

namespace Pharos.Eval.Tests.Verifiers.Translation;

public sealed class TranslationOnlyTests : VerifierContractTests
{
    protected override string ExpectedId => "translation:only";
    protected override IVerifier Create() => new TranslationOnly();
    protected override JsonObject ValidArgs() => Args("""{"source": "The invoice is attached."}""");
    protected override string PassingResponse => "Die Rechnung ist beigefügt.";
    protected override string FailingResponse => "Here is the translation:\n\nDie Rechnung ist beigefügt.";
    protected override IEnumerable<(JsonObject Args, string Argument)> BadArgs => [(Args("""{"source": 3}"""), "source")];

    [Theory]
    [InlineData("Sure! Here's the German translation:\nDie Rechnung ist beigefügt.")]
    [InlineData("Hier ist die Übersetzung:\nDie Rechnung ist beigefügt.")]
    [InlineData("Voici la traduction :\nLa facture est jointe.")]
    [InlineData("Aquí está la traducción:\nLa factura está adjunta.")]
    [InlineData("以下是翻译：\n发票已附上。")]
    [InlineData("German: Die Rechnung ist beigefügt.")]
    [InlineData("Portuguese (Portugal): A fatura está em anexo.")]
    [InlineData("Die Rechnung ist beigefügt.\n\nNote: I translated \"invoice\" as \"Rechnung\".")]
    [InlineData("La facture est jointe.\n\nJ'espère que cela vous aide ! Remarque : ...")]
    [InlineData("Die Rechnung ist beigefügt.\n\nI hope this helps!")]
    [InlineData("\"Die Rechnung ist beigefügt.\"")]
    public void FlagsChatAroundTheTranslation(string output)
    {
        var verdict = Create().Check("", output, ValidArgs());
        Assert.False(verdict.Passed, output);
        Assert.NotEqual("translation only", verdict.Explanation);
    }

    [Theory]
    [InlineData("Die Übersetzung des Vertrags ist fertig.")]
    [InlineData("Sicher ist sicher.\n\nDer zweite Absatz.")]
    [InlineData("Die Notiz liegt auf dem Tisch.")]
    public void LeavesOrdinaryTranslationsAlone(string output) =>
        Assert.True(Create().Check("", output, ValidArgs()).Passed, output);

    [Fact]
    public void QuotesAreFineWhenTheSourceHasThem() =>
        Assert.True(Create().Check("", "„Hallo“", Args("""{"source": "\"Hello\""}""")).Passed);
}
