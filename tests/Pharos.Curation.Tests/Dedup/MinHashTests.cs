// MinHash: pairs at Jaccard 0.9 always share a cluster, pairs at 0.3 never do, through the sharded signature/bucket/cluster/filter stages.
using Pharos.Curation.Dedup;
using Pharos.Curation.Pipeline;
using Pharos.Tests;

namespace Pharos.Curation.Tests.Dedup;

public sealed class MinHashTests
{
    [Fact]
    public void SimilarPairsClusterAndDissimilarPairsDoNot()
    {
        const int pairs = 200, length = 200;
        var rng = new Random(7);
        string Word() => string.Concat(Enumerable.Range(0, rng.Next(3, 9)).Select(_ => (char)rng.Next('a', 'z' + 1)));
        var shards = new List<Document>[3];
        for (var s = 0; s < shards.Length; s++) shards[s] = [];
        var expected = new List<(string A, string B, bool Similar, double Jaccard)>();
        for (var p = 0; p < 2 * pairs; p++)
        {
            var similar = p < pairs;
            // B = A with its last r words replaced: shared shingles s = L-4-r of L-4 each, Jaccard = s / (2(L-4) - s).
            var r = similar ? 10 : 105;
            var a = Enumerable.Range(0, length).Select(_ => Word()).ToList();
            var b = a.Take(length - r).Concat(Enumerable.Range(0, r).Select(_ => "z" + Word())).ToList();
            var shared = length - 4 - r;
            var jaccard = (double)shared / (2 * (length - 4) - shared);
            var idA = $"p{p}a"; var idB = $"p{p}b";
            shards[p % 3].Add(new Document(string.Join(' ', a), idA));
            shards[(p + 1) % 3].Add(new Document(string.Join(' ', b), idB));
            expected.Add((idA, idB, similar, jaccard));
        }
        Assert.InRange(expected[0].Jaccard, 0.89, 0.91);
        Assert.InRange(expected[^1].Jaccard, 0.29, 0.31);

        using var dir = new TempDir();
        var dedup = new MinHashDedup(new MinHasher(), dir.Path);
        for (var t = 0; t < 3; t++)
            dedup.Signatures(t, shards[t], new StepStats("sig"));
        for (var b = 0; b < 14; b++)
            dedup.Buckets(b, 3);
        var result = dedup.Clusters("und", 3, 14);
        Assert.Equal(4 * pairs, result.Documents);
        // 8 B/doc (union-find + sizes) plus two fixed 64 KiB stream buffers, which a test this small does not amortise.
        Assert.Equal(8 + 2.0 * 65536 / result.Documents, result.BytesPerDocument, 6);
        var kept = new Dictionary<string, long>();
        var dropped = new HashSet<string>();
        for (var t = 0; t < 3; t++)
        {
            var stats = new StepStats("filter");
            foreach (var d in dedup.Filter(t, shards[t], stats, (doc, _) => dropped.Add(doc.Id)))
                kept[d.Id] = (long)d.Metadata[MetadataKeys.ClusterSize]!;
            Assert.Equal(stats.In, stats.Kept + stats.Dropped);
        }
        foreach (var (a, b, similar, _) in expected)
        {
            if (similar)
            {
                Assert.True(kept.ContainsKey(a) ^ kept.ContainsKey(b), $"{a}/{b}: exactly one kept");
                Assert.Equal(2, kept.GetValueOrDefault(a, kept.GetValueOrDefault(b)));
            }
            else
            {
                Assert.Equal(1, kept[a]);
                Assert.Equal(1, kept[b]);
            }
        }
        Assert.Equal(pairs, dropped.Count);
    }

    [Fact]
    public void SignatureIsDeterministicAndIgnoresCaseAndPunctuation()
    {
        var h = new MinHasher();
        var s1 = new ulong[h.Length];
        var s2 = new ulong[h.Length];
        Assert.True(h.Signature("The quick brown fox jumps over the lazy dog, again!", s1));
        Assert.True(h.Signature("the QUICK brown fox -- jumps over the lazy dog again", s2));
        Assert.Equal(s1, s2);
        Assert.False(h.Signature("too few words", s1));
    }

    [Fact]
    public void UnionFindKeepsTheSmallestId()
    {
        var uf = new UnionFind(6);
        uf.Union(5, 3);
        uf.Union(3, 4);
        uf.Union(1, 0);
        Assert.Equal(3, uf.Find(5));
        Assert.Equal(3, uf.Find(4));
        Assert.Equal(0, uf.Find(1));
        Assert.Equal(2, uf.Find(2));
    }
}
