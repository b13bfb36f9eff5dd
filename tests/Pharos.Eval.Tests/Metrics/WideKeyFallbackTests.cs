// The 128-bit key paths (more than 1023 distinct characters in a chrF pair, more than 65535 BLEU token types) against sacrebleu's numbers.
using Pharos.Eval.Metrics;

namespace Pharos.Eval.Tests.Metrics;

public sealed class WideKeyFallbackTests
{
    // Expected values: sacrebleu 2.6.0 (the fixtures' checkout) run on the same generated strings.
    [Fact]
    public void ChrFWithMoreThan1023DistinctCharacters()
    {
        var hyp = string.Concat(Enumerable.Range(0, 1100).Select(i => (char)(0x4e00 + i)));
        var reference = string.Concat(Enumerable.Range(0, 1150).Select(i => (char)(0x4e00 + i * 7 % 1200)));
        Assert.Equal(15.555555555555555, new ChrF().SentenceScore(hyp, [reference]).Score, 12);
        Assert.Equal(26.26443363713214, new ChrF(wordOrder: 2).SentenceScore(hyp + " a b", [reference + " a b"]).Score, 12);
    }

    [Fact]
    public void BleuWithMoreThan65535TokenTypes()
    {
        var hyps = Enumerable.Range(0, 1100).Select(s => string.Join(' ', Enumerable.Range(0, 80).Select(k => $"w{(s * 80 + k) % 90001}"))).ToList();
        var refs = Enumerable.Range(0, 1100).Select(s => string.Join(' ', Enumerable.Range(0, 80).Select(k => $"w{(s * 80 + k * 3) % 90001}"))).ToList();
        Assert.Equal(0.005375586221977111, new Bleu().CorpusScore(hyps, [refs]).Score, 15);
    }
}
