// Opens a shard writer for an output format: "jsonl.zst" (default), "jsonl.gz", "jsonl" or "parquet".
using Pharos.Curation.Errors;

namespace Pharos.Curation.Writers;

public static class WriterFactory
{
    public static string Extension(string format) => format switch
    {
        "jsonl.zst" or "jsonl.gz" or "jsonl" or "parquet" => "." + format,
        _ => throw new RecipeException($"output.format: unknown format \"{format}\" (expected jsonl.zst, jsonl.gz, jsonl or parquet)"),
    };

    public static IDocumentWriter Create(string pathWithoutExtension, string format)
    {
        var path = pathWithoutExtension + Extension(format);
        return format == "parquet" ? new ParquetDocumentWriter(path) : new JsonlWriter(path);
    }
}
