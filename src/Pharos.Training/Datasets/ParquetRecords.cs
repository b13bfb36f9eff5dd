// Reads Parquet rows as JSON objects: top-level string columns (text, prompt/completion) and lists of string structs
// (chat `messages`, see ParquetStructLists), which is what CPT and SFT files carry.
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;
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
            var lists = reader.Schema.Fields.OfType<ListField>().Where(ParquetStructLists.Reads).ToArray();
            if (fields.Length == 0 && lists.Length == 0)
                throw new PharosException($"{path}: no string columns and no list<struct<…string…>> columns such as messages (found {string.Join(", ", all.Select(f => $"{f.Path} {f.ClrType.Name} rep {f.MaxRepetitionLevel}"))})");
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
                var listColumns = lists.Select(l => ParquetStructLists.Read(group, l, n)).ToArray();
                for (int i = 0; i < n; i++)
                {
                    var json = new JsonObject();
                    for (int c = 0; c < fields.Length; c++)
                        if (columns[c][i] is string value) json[fields[c].Name] = value;
                    for (int c = 0; c < lists.Length; c++)
                        json[lists[c].Name] = listColumns[c][i]; // a null list stays a JSON null, as in the JSONL the hub exports
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
