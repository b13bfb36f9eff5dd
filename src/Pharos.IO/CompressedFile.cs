// Opens a file through gzip or zstd, chosen by its extension (.gz, .zst/.zstd), else plain. Reading checks the data:
// gzip's CRC-32 and length trailer of every member, zstd's frames, so a cut or damaged file fails instead of ending early.
using System.IO.Compression;
using ICSharpCode.SharpZipLib.GZip;
using ZstdSharp;

namespace Pharos.IO;

public static class CompressedFile
{
    public static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    public static bool IsZstd(string path) =>
        path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".zstd", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The decompressed contents. A truncated or corrupt compressed stream throws <see cref="CorruptInputException"/> with the
    /// compressed byte offset. (.NET's GZipStream returns end-of-stream on a cut file, so a half file would read as a whole
    /// one; SharpZipLib checks each member's trailer, and reads concatenated members as Common Crawl's .warc.gz needs.)
    /// </summary>
    public static Stream OpenRead(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (!IsGzip(path) && !IsZstd(path)) return file;
        var counted = new CountingStream(file);
        return IsGzip(path)
            ? new CheckedDecompression(new GZipInputStream(counted), counted, path, "gzip")
            : new CheckedDecompression(new DecompressionStream(counted), counted, path, "zstd");
    }

    /// <summary>Compresses into <paramref name="output"/> by <paramref name="path"/>'s extension, leaving <paramref name="output"/> open.</summary>
    public static Stream Wrap(Stream output, string path)
    {
        if (IsGzip(path)) return new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
        if (path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase)) return new CompressionStream(output, level: 3, leaveOpen: true);
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
