// Reads Parquet rows as JSON objects; top-level string columns only (text, prompt/completion), which is what CPT files carry.
using System.Text.Json.Nodes;
using Parquet;
using Pharos.Models.Errors;

namespace Pharos.Training.Datasets;

public static class ParquetRecords
{
    public static IEnumerable<SourceRecord> Read(string path)
    {
        using var file = File.OpenRead(path);
        var reader = ParquetReader.CreateAsync(file).GetAwaiter().GetResult();
        try
        {
            var all = reader.Schema.GetDataFields();
            // Parquet.Net 6 reports UTF-8 string columns as ReadOnlyMemory<char>; both read as strings.
            var fields = all.Where(f => f.MaxRepetitionLevel == 0 && (f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>))).ToArray();
            if (fields.Length == 0)
                throw new PharosException($"{path}: no top-level string columns (found {string.Join(", ", all.Select(f => $"{f.Path} {f.ClrType.Name} rep {f.MaxRepetitionLevel}"))}; nested columns such as messages are not supported yet: use JSONL)");
            long row = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                int n = checked((int)group.RowCount);
                var columns = fields.Select(f =>
                {
                    var values = new string?[n];
                    group.ReadAsync(f, values.AsMemory(), null).AsTask().GetAwaiter().GetResult();
                    return values;
                }).ToArray();
                for (int i = 0; i < n; i++)
                {
                    var json = new JsonObject();
                    for (int c = 0; c < fields.Length; c++)
                        if (columns[c][i] is string value) json[fields[c].Name] = value;
                    yield return new SourceRecord(path, ++row, json);
                }
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
