// Reads Parquet rows as JSON objects; top-level string columns only (text, prompt/completion), which is what CPT files carry.
// A cut file (no footer) or a damaged column chunk stops the run with the file and the byte offset of what failed.
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
            if (fields.Length == 0)
                throw new PharosException($"{path}: no top-level string columns (found {string.Join(", ", all.Select(f => $"{f.Path} {f.ClrType.Name} rep {f.MaxRepetitionLevel}"))}; nested columns such as messages are not supported yet: use JSONL)");
            long row = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                foreach (var json in ReadGroup(reader, g, fields, path))
                    yield return new SourceRecord(path, ++row, json);
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    static JsonObject[] ReadGroup(ParquetReader reader, int g, DataField[] fields, string path)
    {
        using var group = reader.OpenRowGroupReader(g);
        int n = checked((int)group.RowCount);
        var columns = fields.Select(f =>
        {
            var values = new string?[n];
            try
            {
                group.ReadAsync(f, values.AsMemory(), null).AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (IsDataError(e))
            {
                throw new CorruptInputException(path, ChunkOffset(reader, g, f), $"row group {g}, column {f.Name}: {e.Message}", e);
            }
            return values;
        }).ToArray();
        var rows = new JsonObject[n];
        for (int i = 0; i < n; i++)
        {
            var json = new JsonObject();
            for (int c = 0; c < fields.Length; c++)
                if (columns[c][i] is string value) json[fields[c].Name] = value;
            rows[i] = json;
        }
        return rows;
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
