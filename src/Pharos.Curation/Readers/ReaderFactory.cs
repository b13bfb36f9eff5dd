// Picks a reader from a format name or, with "auto", from the file's extension.
using Pharos.Curation.Errors;

namespace Pharos.Curation.Readers;

public static class ReaderFactory
{
    public static readonly string[] Formats = ["auto", "jsonl", "parquet", "warc", "text"];

    public static string Detect(string path)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        foreach (var ext in new[] { ".gz", ".zst", ".zstd" })
            if (name.EndsWith(ext, StringComparison.Ordinal))
                name = name[..^ext.Length];
        if (name.EndsWith(".warc", StringComparison.Ordinal) || name.EndsWith(".arc", StringComparison.Ordinal)) return "warc";
        if (name.EndsWith(".jsonl", StringComparison.Ordinal) || name.EndsWith(".json", StringComparison.Ordinal) || name.EndsWith(".ndjson", StringComparison.Ordinal)) return "jsonl";
        if (name.EndsWith(".parquet", StringComparison.Ordinal)) return "parquet";
        return "text";
    }

    public static IDocumentReader Create(string format, ReaderOptions options) => format switch
    {
        "jsonl" => new JsonlReader(options),
        "parquet" => new ParquetDocumentReader(options),
        "warc" => new WarcReader(options),
        "text" => new PlainTextReader(options),
        _ => throw new RecipeException($"input.format: unknown format \"{format}\" (expected one of {string.Join(", ", Formats)})"),
    };

    public static IDocumentReader For(string path, string format, ReaderOptions options) =>
        Create(format == "auto" ? Detect(path) : format, options);
}
