// Global MinHash dedup per language as four sharded stages: signatures → buckets (per band) → clusters (union-find) → filter.
using Pharos.IO;
using System.Buffers.Binary;
using System.Diagnostics;
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Dedup;

public sealed class MinHashDedup(MinHasher hasher, string workDir)
{
    const int StreamBuffer = 1 << 16;

    public MinHasher Hasher => hasher;

    string LanguageDir(string language) => Path.Combine(workDir, language);
    string BandFile(string language, int band, int task) => Path.Combine(LanguageDir(language), "sigs", $"band_{band:D3}", $"{task:D5}.bin");
    string CountFile(string language, int task) => Path.Combine(LanguageDir(language), "counts", $"{task:D5}.txt");
    string EdgeFile(string language, int band) => Path.Combine(LanguageDir(language), "edges", $"band_{band:D3}.bin");
    string ClusterFile(string language, int task) => Path.Combine(LanguageDir(language), "clusters", $"{task:D5}.bin");

    public IEnumerable<string> Languages() =>
        Directory.Exists(workDir) ? Directory.EnumerateDirectories(workDir).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal) : [];

    /// <summary>Stage 1 (one task per input shard): every document's signature, written as one sorted file per band and language.</summary>
    public void Signatures(int task, IEnumerable<Document> docs, StepStats stats)
    {
        var perLanguage = new Dictionary<string, (int Count, List<BandRecord>[] Bands)>(StringComparer.Ordinal);
        var signature = new ulong[hasher.Length];
        foreach (var doc in docs)
        {
            stats.In++;
            var start = Stopwatch.GetTimestamp();
            var language = doc.Language ?? "und";
            if (!perLanguage.TryGetValue(language, out var entry))
                entry = (0, Enumerable.Range(0, hasher.Bands).Select(_ => new List<BandRecord>()).ToArray());
            // Documents shorter than one n-gram get no signature and can never be duplicates (as datatrove).
            if (hasher.Signature(doc.Text, signature, Text.WordTokenizers.For(doc.LanguageLabel ?? "en")))
                for (var b = 0; b < hasher.Bands; b++)
                    entry.Bands[b].Add(new BandRecord(hasher.BandKey(signature, b), entry.Count));
            else
                stats.Count("too_short_for_signature");
            perLanguage[language] = (entry.Count + 1, entry.Bands);
            stats.Kept++;
            stats.AddTime(start);
        }
        foreach (var (language, (count, bands)) in perLanguage)
        {
            for (var b = 0; b < bands.Length; b++)
                BandRecord.WriteSorted(BandFile(language, b, task), bands[b]);
            AtomicFile.WriteAllText(CountFile(language, task), count.ToString());
        }
    }

    /// <summary>Stage 2 (one task per band): merges the band's sorted files of all shards; equal keys give edges to the run's first document.</summary>
    public long Buckets(int band, int taskCount)
    {
        long edges = 0;
        foreach (var language in Languages())
        {
            var offsets = Offsets(language, taskCount);
            var merge = new PriorityQueue<(IEnumerator<BandRecord> Records, long Offset), (ulong Key, long Global)>();
            var files = new List<IEnumerator<BandRecord>>();
            for (var t = 0; t < taskCount; t++)
            {
                var file = BandFile(language, band, t);
                if (!File.Exists(file))
                    continue;
                var e = BandRecord.Read(file).GetEnumerator();
                files.Add(e);
                if (e.MoveNext())
                    merge.Enqueue((e, offsets[t]), (e.Current.Key, offsets[t] + e.Current.Doc));
            }
            var edgePath = EdgeFile(language, band);
            var temp = AtomicFile.CreateTemp(edgePath);
            var tempName = temp.Name;
            using (var output = new BufferedStream(temp, StreamBuffer))
            {
                var record = new byte[8];
                ulong runKey = 0;
                long runFirst = -1;
                while (merge.TryDequeue(out var shard, out var at))
                {
                    if (runFirst >= 0 && at.Key == runKey)
                    {
                        BinaryPrimitives.WriteInt32LittleEndian(record, checked((int)runFirst));
                        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(4), checked((int)at.Global));
                        output.Write(record);
                        edges++;
                    }
                    else
                    {
                        runKey = at.Key;
                        runFirst = at.Global;
                    }
                    if (shard.Records.MoveNext())
                        merge.Enqueue(shard, (shard.Records.Current.Key, shard.Offset + shard.Records.Current.Doc));
                }
            }
            foreach (var e in files)
                e.Dispose();
            AtomicFile.CommitClosed(tempName, edgePath);
        }
        return edges;
    }

    long[] Offsets(string language, int taskCount)
    {
        var offsets = new long[taskCount + 1];
        for (var t = 0; t < taskCount; t++)
        {
            var file = CountFile(language, t);
            offsets[t + 1] = offsets[t] + (File.Exists(file) ? long.Parse(File.ReadAllText(file)) : 0);
        }
        return offsets;
    }

    /// <summary>Stage 3 (one task per language): union-find over all edges, then each shard's cluster members with size and keep flag.</summary>
    public ClusterResult Clusters(string language, int taskCount, int bands)
    {
        var offsets = Offsets(language, taskCount);
        var total = checked((int)offsets[taskCount]);
        var sets = new UnionFind(total);
        Span<byte> record = stackalloc byte[8];
        for (var b = 0; b < bands; b++)
        {
            var path = EdgeFile(language, b);
            if (!File.Exists(path))
                continue;
            using var input = new BufferedStream(File.OpenRead(path), StreamBuffer);
            while (input.ReadAtLeast(record, 8, throwOnEndOfStream: false) == 8)
                sets.Union(BinaryPrimitives.ReadInt32LittleEndian(record), BinaryPrimitives.ReadInt32LittleEndian(record[4..]));
        }
        var sizes = new int[total];
        for (var i = 0; i < total; i++)
            sizes[sets.Find(i)]++;
        // Peak memory held by this stage: the union-find (4 B/doc) and the size table (4 B/doc), plus one read and one write
        // buffer; edges and cluster files are streamed, so nothing else grows with the corpus.
        var peak = 8L * total + 2L * StreamBuffer;
        var histogram = new SortedDictionary<int, long>();
        long removed = 0;
        for (var t = 0; t < taskCount; t++)
        {
            if (offsets[t + 1] == offsets[t])
                continue;
            var path = ClusterFile(language, t);
            var temp = AtomicFile.CreateTemp(path);
            var tempName = temp.Name;
            using (var output = new BufferedStream(temp, StreamBuffer))
            {
                var row = new byte[9];
                for (var g = (int)offsets[t]; g < offsets[t + 1]; g++)
                {
                    var root = sets.Find(g);
                    var size = sizes[root];
                    if (root == g)
                        histogram[size] = histogram.GetValueOrDefault(size) + 1;
                    if (size <= 1)
                        continue;
                    if (root != g)
                        removed++;
                    BinaryPrimitives.WriteInt32LittleEndian(row, g - (int)offsets[t]);
                    BinaryPrimitives.WriteInt32LittleEndian(row.AsSpan(4), size);
                    row[8] = root == g ? (byte)1 : (byte)0;
                    output.Write(row);
                }
            }
            AtomicFile.CommitClosed(tempName, path);
        }
        return new ClusterResult(language, total, removed, histogram, total == 0 ? 0 : (double)peak / total);
    }

    /// <summary>Stage 4 (one task per shard): drops every cluster member but the kept one; the kept one records minhash_cluster_size.</summary>
    public IEnumerable<Document> Filter(int task, IEnumerable<Document> docs, StepStats stats, Action<Document, string>? rejected = null)
    {
        var clusters = new Dictionary<string, Dictionary<int, (int Size, bool Keep)>>(StringComparer.Ordinal);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var doc in docs)
        {
            stats.In++;
            var language = doc.Language ?? "und";
            if (!clusters.TryGetValue(language, out var members))
                clusters[language] = members = LoadClusters(language, task);
            var i = index.GetValueOrDefault(language);
            index[language] = i + 1;
            if (members.TryGetValue(i, out var m) && !m.Keep)
            {
                stats.Drop("minhash_duplicate");
                doc.Metadata[MetadataKeys.DropReason] = "minhash_duplicate";
                rejected?.Invoke(doc, "minhash");
                continue;
            }
            doc.Metadata[MetadataKeys.ClusterSize] = (long)(members.TryGetValue(i, out m) ? m.Size : 1);
            stats.Kept++;
            yield return doc;
        }
    }

    Dictionary<int, (int, bool)> LoadClusters(string language, int task)
    {
        var result = new Dictionary<int, (int, bool)>();
        var path = ClusterFile(language, task);
        if (!File.Exists(path))
            return result;
        var bytes = File.ReadAllBytes(path);
        for (var p = 0; p + 9 <= bytes.Length; p += 9)
            result[BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(p))] = (BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(p + 4)), bytes[p + 8] == 1);
        return result;
    }
}

public sealed record ClusterResult(string Language, int Documents, long Removed, SortedDictionary<int, long> ClusterSizeHistogram, double BytesPerDocument);
