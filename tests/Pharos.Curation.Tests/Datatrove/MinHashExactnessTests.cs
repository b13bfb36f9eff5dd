// MinHash permutation constants and signatures equal to datatrove's MinhashDedupSignature, bit for bit, on real multilingual text.
using System.Text.Json;
using Pharos.Curation.Dedup;
using Pharos.Curation.Text;

namespace Pharos.Curation.Tests.Datatrove;

public sealed class MinHashExactnessTests
{
    [Fact]
    public void PermutationConstantsAreNumpysRandomState()
    {
        var expected = JsonDocument.Parse(File.ReadAllText(DatatroveFixtures.Path("minhash-params.json"))).RootElement;
        var (a, b) = new MinHasher().Parameters;
        Assert.Equal(expected.GetProperty("a").EnumerateArray().Select(e => e.GetUInt64()), a);
        Assert.Equal(expected.GetProperty("b").EnumerateArray().Select(e => e.GetUInt64()), b);
    }

    [Fact]
    public void SignaturesEqualDatatroves()
    {
        var corpus = DatatroveFixtures.Corpus();
        var hasher = new MinHasher();
        var signature = new ulong[hasher.Length];
        var compared = 0;
        foreach (var r in DatatroveFixtures.Read("minhash.jsonl.gz"))
        {
            if (r.TryGetProperty("error", out _))
                continue; // datatrove could not load this language's tokenizer here
            var id = r.GetProperty("id").GetString()!;
            var (language, text) = corpus[id];
            var expected = r.GetProperty("signature");
            var signed = hasher.Signature(text, signature, WordTokenizers.For(language));
            Assert.True(signed == (expected.ValueKind != JsonValueKind.Null), id);
            if (signed)
                Assert.True(expected.EnumerateArray().Select(e => e.GetUInt64()).SequenceEqual(signature), id);
            compared++;
        }
        Assert.True(compared > 50, $"{compared} signatures compared");
    }

    [Fact]
    public void NumpyRandomStateMatchesKnownDraws()
    {
        // np.random.RandomState(1).randint(0, 2**32 - 1, dtype=np.uint64, size=3), and (1, 2**61 - 1, size=4).
        Assert.Equal([1791095845UL, 4282876139UL, 3093770124UL], new NumpyRandomState(1).RandIntUInt64(0, uint.MaxValue, 3));
        Assert.Equal([775169054918279404UL, 1758426461858698313UL, 2109959069025162UL, 965365488286768774UL],
            new NumpyRandomState(1).RandIntUInt64(1, (1UL << 61) - 1, 4));
    }
}
