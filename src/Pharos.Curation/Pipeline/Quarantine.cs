// Collects records that could not be read or processed (file, byte offset, code, message) so a task goes on and counts them.
using System.Text.Json;

namespace Pharos.Curation.Pipeline;

public sealed class Quarantine
{
    readonly List<QuarantinedRecord> _records = [];
    readonly object _gate = new();

    public long Count { get { lock (_gate) return _records.Count; } }

    public IReadOnlyList<QuarantinedRecord> Records { get { lock (_gate) return [.. _records]; } }

    public void Add(string file, long offset, string code, string message)
    {
        lock (_gate)
            _records.Add(new QuarantinedRecord(file, offset, code, message));
    }

    public SortedDictionary<string, long> CountByCode()
    {
        lock (_gate)
            return new SortedDictionary<string, long>(_records.GroupBy(r => r.Code).ToDictionary(g => g.Key, g => (long)g.Count()), StringComparer.Ordinal);
    }

    /// <summary>One JSON line per record: {"file","offset","code","message"}.</summary>
    public void WriteJsonl(TextWriter writer)
    {
        foreach (var r in Records)
            writer.WriteLine(JsonSerializer.Serialize(new { file = r.File, offset = r.Offset, code = r.Code, message = r.Message }));
    }
}

public readonly record struct QuarantinedRecord(string File, long Offset, string Code, string Message);
