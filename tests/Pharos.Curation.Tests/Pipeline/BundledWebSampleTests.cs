// The bundled crawl (samples/web) through the committed recipe (configs/curate-fineweb2.yaml), as `pharos curate` runs it:
// every WARC response record, counted here by an independent reading of the files, ends exactly once as kept, dropped
// (with a reason, in some stage's rejected shard) or quarantined (at its own byte offset), and each stage balances.
using System.IO.Compression;
using System.Text;
using Pharos.Curation.Pipeline;
using Pharos.Curation.Readers;
using Pharos.Curation.Reports;
using Pharos.Tests;

namespace Pharos.Curation.Tests.Pipeline;

public sealed class BundledWebSampleTests
{
    sealed record ResponseRecord(string File, long Offset, string Id, string Url, bool Complete);

    [Fact]
    public void Every_record_of_the_sample_is_kept_dropped_or_quarantined_exactly_once()
    {
        var records = Directory.GetFiles(RepoPaths.Samples("web"), "*.warc.gz").Order(StringComparer.Ordinal).SelectMany(ReadResponses).ToList();
        var manifest = File.ReadAllLines(RepoPaths.Samples("web", "manifest.tsv")).Skip(1).Select(l => l.Split('\t')).ToList();
        Assert.Equal(manifest.Count, records.Count);
        Assert.Equal(manifest.Select(m => m[2]), records.Select(r => r.Url));
        Assert.Equal(manifest.Count(m => m[8].StartsWith("cut", StringComparison.Ordinal)), records.Count(r => !r.Complete));

        using var dir = new TempDir();
        var recipe = CurationRecipe.Load(Path.Combine(RepoPaths.Root, "configs", "curate-fineweb2.yaml"));
        recipe.Output.Dir = Path.Combine(dir.Path, "run");
        var plan = CurationPlan.Create(recipe);
        new LocalExecutor(2).Run(plan);

        var summary = CurationSummary.From(plan);
        Assert.Equal(records.Count, summary.Records.In);
        Assert.Equal(summary.Records.In, summary.Records.Kept + summary.Records.Dropped + summary.Records.Quarantined);
        // The two cut files end inside their last record's gzip member: the reader sees the compressed stream end early.
        Assert.Equal(records.Count(r => !r.Complete), summary.QuarantinedByCode.GetValueOrDefault("truncated_stream"));
        // Each stage reads what the previous one kept and balances on its own.
        for (var i = 0; i < summary.Stages.Count; i++)
        {
            var s = summary.Stages[i];
            Assert.Equal(s.In, s.Kept + s.Dropped + s.Quarantined);
            if (i > 0) Assert.Equal(summary.Stages[i - 1].Kept, s.In);
        }
        Assert.Equal(summary.Records.Kept, summary.Languages.Sum(l => l.Kept));

        // Record by record: kept documents and every stage's rejects by id, quarantined records by file and offset.
        var outcomes = new List<(string Id, string Outcome)>();
        var finalStage = plan.Stages[^1];
        foreach (var file in Shards(finalStage.StageDir).Where(f => !f.Contains("_rejected", StringComparison.Ordinal)))
            outcomes.AddRange(Read(file).Select(d => (d.Id, "kept")));
        foreach (var stage in plan.Stages.Where(s => s.Kind is StageKind.Process or StageKind.DedupFilter))
        {
            foreach (var file in Shards(Path.Combine(stage.StageDir, "_rejected")))
                outcomes.AddRange(Read(file).Select(d => (d.Id, $"{stage.Id}: {d.Metadata[MetadataKeys.DropReason]}")));
            for (var task = 0; task < stage.TaskCount; task++)
                if (File.Exists(stage.QuarantineFile(task)))
                    foreach (var line in File.ReadLines(stage.QuarantineFile(task)))
                    {
                        var q = System.Text.Json.JsonDocument.Parse(line).RootElement;
                        var record = records.Single(r => r.File == q.GetProperty("file").GetString() && r.Offset == q.GetProperty("offset").GetInt64());
                        Assert.False(record.Complete);
                        outcomes.Add((record.Id, "quarantined: " + q.GetProperty("code").GetString()));
                    }
        }
        var twice = outcomes.GroupBy(o => o.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(o => o.Outcome))}").ToList();
        Assert.True(twice.Count == 0, string.Join("\n", twice));
        Assert.Equal(records.Select(r => r.Id).Order(StringComparer.Ordinal), outcomes.Select(o => o.Id).Order(StringComparer.Ordinal));

        // The pages on blocklisted hosts or with banned words in their URL go at the URL filter.
        var urlDrops = outcomes.Where(o => o.Outcome.StartsWith("extract: ", StringComparison.Ordinal) && !o.Outcome.EndsWith("language_score", StringComparison.Ordinal))
            .Select(o => records.Single(r => r.Id == o.Id).Url).Order(StringComparer.Ordinal);
        Assert.Equal(["http://webcamwithstrangers.example.com/linux-setup", "https://casino-bonus-online.example/debian", "https://pharmacy.example.com/buy-cialis-online-debian",
            "https://videos.example.com/hot-babes-and-bitch-fights", "https://www.pills-discount-store.example/linux"], urlDrops);
    }

    static IEnumerable<string> Shards(string dir) => Directory.Exists(dir)
        ? Directory.EnumerateFiles(dir, "*.jsonl.zst", SearchOption.AllDirectories).Where(f => !f.Contains("_pharos", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
        : [];

    static List<Document> Read(string file) => [.. ReaderFactory.For(file, "auto", new ReaderOptions()).Read(file, new Quarantine())];

    /// <summary>
    /// The response records of a .warc.gz, read without Pharos's reader: decompress (a file may end inside a gzip member),
    /// then walk "WARC/1.0" header blocks and their Content-Length; a block shorter than that is an incomplete record.
    /// </summary>
    static IEnumerable<ResponseRecord> ReadResponses(string path)
    {
        var bytes = new MemoryStream();
        using (var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
        {
            try { gz.CopyTo(bytes); }
            catch (InvalidDataException) { } // the download stopped inside a member: keep what was decompressed
        }
        var data = bytes.ToArray();
        var position = 0L;
        var records = new List<ResponseRecord>();
        while (position < data.Length)
        {
            var headerEnd = IndexOf(data, "\r\n\r\n"u8, position);
            Assert.True(headerEnd > 0, $"{path}: no header end after {position}");
            var lines = Encoding.UTF8.GetString(data, (int)position, (int)(headerEnd - position)).Split("\r\n");
            Assert.Equal("WARC/1.0", lines[0]);
            var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1].Trim());
            var length = long.Parse(headers["Content-Length"]);
            var complete = headerEnd + 4 + length <= data.Length;
            if (headers["WARC-Type"] == "response")
                records.Add(new ResponseRecord(path, position, headers["WARC-Record-ID"].Trim('<', '>'), headers["WARC-Target-URI"], complete));
            position = headerEnd + 4 + length + 4; // the block, then the record's closing CRLF CRLF
        }
        return records;
    }

    static long IndexOf(byte[] data, ReadOnlySpan<byte> needle, long from)
    {
        var i = data.AsSpan((int)from).IndexOf(needle);
        return i < 0 ? -1 : from + i;
    }
}
