// Opens a file for reading or writing through gzip or zstd, chosen by its extension (.gz, .zst), else plain.
using System.IO.Compression;
using ZstdSharp;

namespace Pharos.Curation.Readers;

public static class CompressedFile
{
    public static Stream OpenRead(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        // .NET's GZipStream reads concatenated members, which is how Common Crawl writes .warc.gz (one member per record).
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            return new GZipStream(file, CompressionMode.Decompress);
        if (path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".zstd", StringComparison.OrdinalIgnoreCase))
            return new DecompressionStream(file);
        return file;
    }

    /// <summary>Compresses into <paramref name="output"/> by <paramref name="path"/>'s extension, leaving <paramref name="output"/> open.</summary>
    public static Stream Wrap(Stream output, string path)
    {
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            return new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
        if (path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase))
            return new CompressionStream(output, level: 3, leaveOpen: true);
        return output;
    }

    /// <summary>The file name without compression and format extensions ("a.jsonl.zst" → "a").</summary>
    public static string Stem(string path)
    {
        var name = Path.GetFileName(path);
        foreach (var ext in new[] { ".gz", ".zst", ".zstd" })
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
                name = name[..^ext.Length];
        var dot = name.IndexOf('.');
        return dot > 0 ? name[..dot] : name;
    }
}
