// Counts unusable records by reason and writes each one (file, line, reason, detail) to a quarantine JSONL;
// with strict set the first one stops the run instead.
using System.Text.Json.Nodes;

namespace Pharos.Training.Datasets;

public sealed class BadRecords : IDisposable
{
    public const string InvalidJson = "invalid_json";
    public const string MissingField = "missing_field";
    public const string UnknownRole = "unknown_role";
    public const string TooLong = "too_long";
    public const string Empty = "empty";
    /// <summary>The chat template refused the conversation (raise_exception) or failed on it.</summary>
    public const string TemplateError = "template_error";
    /// <summary>The chat template renders a prefix of this conversation differently from the start of the whole one.</summary>
    public const string TemplateMismatch = "template_mismatch";

    readonly bool strict;
    readonly string? quarantinePath;
    StreamWriter? writer;
    readonly Dictionary<string, long> counts = new(StringComparer.Ordinal);

    /// <param name="quarantinePath">JSONL file receiving each bad record; null keeps only the counts</param>
    public BadRecords(string? quarantinePath = null, bool strict = false)
    {
        this.quarantinePath = quarantinePath;
        this.strict = strict;
        // The list describes this run only: a previous run's list would otherwise survive a clean rerun.
        if (quarantinePath is not null && File.Exists(quarantinePath)) File.Delete(quarantinePath);
    }

    public IReadOnlyDictionary<string, long> Counts => counts;
    public long Total => counts.Values.Sum();
    public string? QuarantinePath => quarantinePath;
    /// <summary>The first few, for the run summary.</summary>
    public List<string> Examples { get; } = [];

    public void Add(string file, long line, string reason, string detail)
    {
        if (strict) throw new InvalidRecordException(file, line, reason, detail);
        lock (counts)
        {
            counts[reason] = counts.GetValueOrDefault(reason) + 1;
            if (Examples.Count < 5) Examples.Add($"{file}:{line}: {reason}: {detail}");
            if (quarantinePath is null) return;
            if (writer is null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(quarantinePath))!);
                writer = new StreamWriter(quarantinePath, append: false);
            }
            var entry = new JsonObject { ["file"] = file, ["line"] = line, ["reason"] = reason, ["detail"] = detail };
            writer.WriteLine(entry.ToJsonString());
            writer.Flush();
        }
    }

    public string Summary() => Total == 0 ? "no bad records"
        : $"{Total} bad records skipped ({string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}: {c.Value}"))})"
          + (quarantinePath is null ? "" : $", listed in {quarantinePath}");

    public void Dispose() => writer?.Dispose();
}
