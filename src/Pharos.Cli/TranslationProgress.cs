// `translate -o FILE` in progress: FILE.partial.jsonl holds a header (the run's settings and a hash of its segments) and
// one line per translated segment, appended and fsynced after every batch, so a killed run loses at most the batch in
// flight. A rerun with the same settings continues after the last complete line (a line cut by the kill is dropped);
// when every segment is done, FILE is written whole (temp, fsync, rename) and the partial file is deleted.
using Pharos.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Models.Errors;
using Pharos.Models.Loading;

namespace Pharos.Cli;

internal sealed class TranslationProgress : IDisposable
{
    const string HeaderKey = "pharos_translate";
    readonly FileStream stream;

    TranslationProgress(string path, FileStream stream, List<string> done)
    {
        Path = path;
        this.stream = stream;
        Done = done;
    }

    public string Path { get; }

    /// <summary>Translations already made, in segment order (continuing a killed run), or none.</summary>
    public IReadOnlyList<string> Done { get; }

    /// <param name="settings">everything the translations depend on besides the segments (model, languages, decoding, batch size)</param>
    /// <param name="batchSize">whole batches are kept, so the rest is batched as an uninterrupted run batches it</param>
    public static TranslationProgress Open(string outputPath, JsonObject settings, IReadOnlyList<Segment> segments, int batchSize)
    {
        var path = outputPath + ".partial.jsonl";
        var header = (JsonObject)settings.DeepClone();
        header["segments_sha256"] = Hash(segments);
        var done = new List<string>();
        long keep = 0;
        if (File.Exists(path)) keep = ReadDone(path, header, segments, batchSize, done);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        stream.SetLength(keep); // drops a line cut short by a kill (or a stale file's whole content when keep is 0)
        stream.Seek(keep, SeekOrigin.Begin);
        var progress = new TranslationProgress(path, stream, done);
        if (keep == 0) progress.Write([new JsonObject { [HeaderKey] = header }.ToJsonString()]);
        return progress;
    }

    /// <summary>Appends one batch's translations (segments Done.Count… in order) and flushes them to disk.</summary>
    public void Append(IReadOnlyList<Segment> batch, IReadOnlyList<string> translations)
    {
        Write(batch.Select((s, i) => new JsonObject { ["line"] = s.Line, ["translation"] = translations[i] }.ToJsonString()));
    }

    /// <summary>Writes the finished output atomically and removes the partial file.</summary>
    public void Complete(string outputPath, IEnumerable<string> lines)
    {
        AtomicFile.WriteAllText(outputPath, string.Concat(lines.Select(l => l + "\n")));
        stream.Dispose();
        File.Delete(Path);
    }

    public void Dispose() => stream.Dispose();

    void Write(IEnumerable<string> lines)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    /// <returns>the byte length of the header and the complete, matching records (0: nothing reusable)</returns>
    static long ReadDone(string path, JsonObject header, IReadOnlyList<Segment> segments, int batchSize, List<string> done)
    {
        var bytes = File.ReadAllBytes(path);
        var ends = new List<long>(); // ends[k]: where the header and k records end
        int lineNo = 0;
        for (int start = 0; start < bytes.Length;)
        {
            int newline = Array.IndexOf(bytes, (byte)'\n', start);
            if (newline < 0) break; // the last line was cut by the kill: translate that batch again
            lineNo++;
            JsonObject? record;
            try { record = JsonNode.Parse(bytes.AsSpan(start, newline - start)) as JsonObject; }
            catch (JsonException) { record = null; }
            if (lineNo == 1)
            {
                if (record?[HeaderKey] is not JsonObject saved)
                    throw new PharosException($"{path}: not a Pharos translation in progress; delete it or choose another --output");
                if (Difference(saved, header) is string why)
                    throw new PharosException($"{path}: a translation in progress with other settings ({why}); rerun with the same settings, or delete it to start over");
            }
            else
            {
                int index = lineNo - 2;
                if (record?["translation"] is not JsonValue t || t.GetValueKind() != JsonValueKind.String || index >= segments.Count
                    || (int?)record["line"] != segments[index].Line)
                    throw new PharosException($"{path}:{lineNo}: not the translation of segment {index + 1}; delete the file to start over");
                done.Add(t.GetValue<string>());
            }
            start = newline + 1;
            ends.Add(start);
        }
        if (ends.Count == 0) return 0;
        int whole = done.Count == segments.Count ? done.Count : done.Count / batchSize * batchSize;
        done.RemoveRange(whole, done.Count - whole);
        return ends[whole];
    }

    static string? Difference(JsonObject saved, JsonObject current)
    {
        foreach (var (key, value) in current)
        {
            string before = saved[key]?.ToJsonString() ?? "(missing)", now = value?.ToJsonString() ?? "(missing)";
            if (before != now) return $"{key} was {before}, now {now}";
        }
        return null;
    }

    static string Hash(IReadOnlyList<Segment> segments)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var s in segments) sha.AppendData(Encoding.UTF8.GetBytes(new JsonArray(s.Line, s.Source, s.Record?.DeepClone()).ToJsonString() + "\n"));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
