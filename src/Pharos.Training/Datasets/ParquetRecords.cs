// Reads Parquet rows as JSON objects: top-level string columns (text, prompt/completion) and lists of string structs
// (chat `messages`, see ParquetStructLists), which is what CPT and SFT files carry. A cut file (no footer) or a damaged
// column chunk stops the run with the file and the byte offset of what failed.
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;
using Pharos.IO;
using Pharos.Models.Errors;

namespace Pharos.Training.Datasets;

public static class ParquetRecords
{
    public static IEnumerable<SourceRecord> Read(string path)
    {
        using var file = File.OpenRead(path);
        ParquetReader reader;
        try
        {
            reader = ParquetReader.CreateAsync(file).GetAwaiter().GetResult();
        }
        catch (Exception e) when (IsDataError(e))
        {
            // The footer (schema and offsets) is at the end: a cut file fails here, at its last bytes.
            throw new CorruptInputException(path, Math.Max(0, file.Length - 8), $"Parquet footer: {e.Message}", e);
        }
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
                foreach (var json in ReadGroup(reader, g, fields, lists, path))
                    yield return new SourceRecord(path, ++row, json);
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    static JsonObject[] ReadGroup(ParquetReader reader, int g, DataField[] fields, ListField[] lists, string path)
    {
        using var group = reader.OpenRowGroupReader(g);
        int n = checked((int)group.RowCount);
        var columns = fields.Select(f => Decode(reader, g, f.Name, [f], path, () =>
        {
            var values = new string?[n];
            group.ReadAsync(f, values.AsMemory(), null).AsTask().GetAwaiter().GetResult();
            return values;
        })).ToArray();
        var listColumns = lists.Select(l => Decode(reader, g, l.Name, ((StructField)l.Item).Fields.OfType<DataField>().ToArray(), path, () => ParquetStructLists.Read(group, l, n))).ToArray();
        var rows = new JsonObject[n];
        for (int i = 0; i < n; i++)
        {
            var json = new JsonObject();
            for (int c = 0; c < fields.Length; c++)
                if (columns[c][i] is string value) json[fields[c].Name] = value;
            for (int c = 0; c < lists.Length; c++)
                json[lists[c].Name] = listColumns[c][i]; // a null list stays a JSON null, as in the JSONL the hub exports
            rows[i] = json;
        }
        return rows;
    }

    /// <summary>Decodes one column (a list column: all its leaves); damage is reported at the column's first chunk.</summary>
    static T Decode<T>(ParquetReader reader, int g, string column, DataField[] leaves, string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (IsDataError(e))
        {
            long offset = leaves.Select(f => ChunkOffset(reader, g, f)).DefaultIfEmpty(0).Min();
            throw new CorruptInputException(path, offset, $"row group {g}, column {column}: {e.Message}", e);
        }
    }

    /// <summary>Where the column chunk's pages start in the file (its dictionary page, else its first data page).</summary>
    static long ChunkOffset(ParquetReader reader, int group, DataField field)
    {
        var chunk = reader.Metadata?.RowGroups[group].Columns.FirstOrDefault(c => c.MetaData?.PathInSchema.SequenceEqual(field.Path.ToList()) == true);
        return chunk?.MetaData is { } m ? m.DictionaryPageOffset ?? m.DataPageOffset : reader.Metadata?.RowGroups[group].FileOffset ?? 0;
    }

    // Damaged pages surface as whatever the decoder hit (a Thrift header error, a decompressor's, an out-of-range read), so
    // anything thrown while decoding the file is its damage; only what no file can cause is let through.
    static bool IsDataError(Exception e) => e is not (OutOfMemoryException or OperationCanceledException or CorruptInputException);
}
