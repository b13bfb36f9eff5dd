// Every tokenizer (13a, intl, zh, char, Tercom variants) and Python's lower() against sacrebleu's output, line by line.
using Pharos.Eval.Metrics.Text;
using Pharos.Eval.Metrics.Tokenizers;

namespace Pharos.Eval.Tests.Metrics;

public sealed class TokenizerFixtureTests
{
    public static TheoryData<string> Names() => ["13a", "intl", "zh", "char", "lower", "ter_default", "ter_norm_asian", "ter_nopunct_asian_cs", "ter_norm"];

    static Func<string, string> Create(string name) => name switch
    {
        "lower" => PythonText.Lower,
        "ter_default" => new TokenizerTercom().Tokenize,
        "ter_norm_asian" => new TokenizerTercom(normalized: true, asianSupport: true).Tokenize,
        "ter_nopunct_asian_cs" => new TokenizerTercom(noPunct: true, asianSupport: true, caseSensitive: true).Tokenize,
        "ter_norm" => new TokenizerTercom(normalized: true).Tokenize,
        _ => TokenizerFactory.Create(name).Tokenize,
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesSacrebleu(string name)
    {
        var fx = SacrebleuFixtures.Load("tokenizers.json");
        var lines = fx["lines"]!.AsArray().Select(l => l!.GetValue<string>()).ToArray();
        var expected = fx[name]!.AsArray().Select(l => l!.GetValue<string>()).ToArray();
        var tokenize = Create(name);
        var failures = lines.Select((l, i) => (i, exp: expected[i], act: tokenize(l)))
            .Where(x => x.exp != x.act)
            .Select(x => $"line {x.i}: {lines[x.i]}\n  expected {x.exp}\n  actual   {x.act}")
            .ToList();
        Assert.True(failures.Count == 0, $"{failures.Count}/{lines.Length} lines differ:\n" + string.Join("\n", failures.Take(10)));
    }

    [Fact]
    public void TokenizerFactoryRejectsUnknownNames()
    {
        var e = Assert.Throws<Pharos.Eval.Errors.InvalidInputException>(() => TokenizerFactory.Create("ja-mecab"));
        Assert.Contains("ja-mecab", e.Message);
    }
}
