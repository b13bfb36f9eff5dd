// One input file of the tokenize step and the names of what it produces: its shard, completion marker and bad-record list.
using System.Security.Cryptography;
using System.Text;
using Pharos.IO;

namespace Pharos.Training.Datasets.Shards;

/// <param name="Path">absolute path of a JSONL (.gz/.zst) or Parquet file</param>
/// <param name="Rehydration">FineWeb2 rehydration weights (cluster size → copies, from `pharos curate rehydrate`), or null</param>
public sealed record TokenizeInput(string Path, string? Rehydration = null)
{
    /// <summary>Stable per input (its path and weights), so adding files to a folder never renames the others' shards.</summary>
    public string Name
    {
        get
        {
            var key = Encoding.UTF8.GetBytes(Path + "\n" + Rehydration);
            return $"{CompressedFile.Stem(Path)}-{Convert.ToHexStringLower(SHA256.HashData(key))[..12]}";
        }
    }

    public static bool IsDataFile(string path)
    {
        var name = System.IO.Path.GetFileName(path).ToLowerInvariant();
        foreach (var ext in new[] { ".gz", ".zst", ".zstd" })
            if (name.EndsWith(ext, StringComparison.Ordinal)) name = name[..^ext.Length];
        return !name.StartsWith('.') && !AtomicFile.IsTemp(path) && (name.EndsWith(".jsonl", StringComparison.Ordinal)
            || name.EndsWith(".json", StringComparison.Ordinal) || name.EndsWith(".ndjson", StringComparison.Ordinal) || name.EndsWith(".parquet", StringComparison.Ordinal));
    }

    /// <summary>
    /// The data files a source path names: a file as is, or every JSONL/Parquet file under a folder (in name order), skipping
    /// folders that start with `_` or `.` — so a `pharos curate` output folder (per-language shards; `_pharos`, `_rejected`
    /// hold its bookkeeping) is an input as it stands.
    /// </summary>
    public static IEnumerable<string> Expand(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full)) return [full];
        if (!Directory.Exists(full)) throw new Models.Errors.PharosException($"{path}: data file does not exist");
        return Walk(full).Order(StringComparer.Ordinal);

        static IEnumerable<string> Walk(string dir)
        {
            foreach (var f in Directory.EnumerateFiles(dir).Where(IsDataFile)) yield return f;
            foreach (var d in Directory.EnumerateDirectories(dir).Where(d => System.IO.Path.GetFileName(d) is var n && !n.StartsWith('_') && !n.StartsWith('.')))
                foreach (var f in Walk(d)) yield return f;
        }
    }
}
