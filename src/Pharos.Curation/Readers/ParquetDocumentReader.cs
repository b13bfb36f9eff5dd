// Reads Parquet files row group by row group: text and id from configurable columns, other string/number columns into metadata.
using Pharos.IO;
using Parquet;
using Parquet.Schema;
using Pharos.Curation.Writers;
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Readers;

public sealed class ParquetDocumentReader(ReaderOptions options) : IDocumentReader
{
    public IEnumerable<Document> Read(string path, Quarantine quarantine)
    {
        ParquetReader reader;
        try
        {
            reader = ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ParquetException)
        {
            quarantine.Add(path, 0, "invalid_parquet", e.Message);
            yield break;
        }
        try
        {
            var fields = reader.Schema.GetDataFields().Where(f => !f.IsArray).ToArray();
            var textField = fields.FirstOrDefault(f => f.Name == options.TextKey)
                ?? throw new Errors.InvalidRecordException(path, 0, "missing_text", $"no column \"{options.TextKey}\"");
            var stem = CompressedFile.Stem(path);
            long row = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                Dictionary<string, object?[]> columns;
                int count;
                try
                {
                    using var group = reader.OpenRowGroupReader(g);
                    count = checked((int)group.RowCount);
                    columns = fields.ToDictionary(f => f.Name, f => ReadColumn(group, f, count));
                }
                catch (Exception e) when (e is IOException or InvalidDataException or ParquetException or NotSupportedException)
                {
                    // The row group's offset in rows stands in for a byte offset: Parquet has no per-record byte position.
                    quarantine.Add(path, row, "invalid_parquet", $"row group {g}: {e.Message}");
                    continue;
                }
                for (var i = 0; i < count; i++, row++)
                {
                    if (columns[textField.Name][i] is not string text)
                    {
                        quarantine.Add(path, row, "missing_text", $"row {row} has no \"{options.TextKey}\"");
                        continue;
                    }
                    var id = columns.TryGetValue(options.IdKey, out var ids) && ids[i] is { } v ? v.ToString()! : $"{stem}/{row}";
                    var metadata = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var (name, values) in columns)
                        if (name == "metadata" && values[i] is string json && json.StartsWith('{'))
                            ParquetMetadata.Expand(json, metadata);
                        else if (name != options.TextKey && name != options.IdKey)
                            metadata[name] = values[i];
                    yield return new Document(text, id, metadata) { SourceFile = path, SourceOffset = row };
                }
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    static object?[] ReadColumn(ParquetRowGroupReader group, DataField field, int count)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        // Parquet.Net 6 reports string columns as ReadOnlyMemory<char>.
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var values = new string?[count];
            group.ReadAsync(field, values.AsMemory()).GetAwaiter().GetResult();
            return [.. values];
        }
        if (type == typeof(long)) return Read<long>(group, field, count);
        if (type == typeof(int)) return Read<int>(group, field, count);
        if (type == typeof(double)) return Read<double>(group, field, count);
        if (type == typeof(float)) return Read<float>(group, field, count);
        if (type == typeof(bool)) return Read<bool>(group, field, count);
        return new object?[count];
    }

    static object?[] Read<T>(ParquetRowGroupReader group, DataField field, int count) where T : struct
    {
        if (!field.IsNullable)
        {
            var plain = new T[count];
            group.ReadAsync(field, plain.AsMemory()).GetAwaiter().GetResult();
            return [.. plain.Select(v => (object?)v)];
        }
        var values = new T?[count];
        group.ReadAsync(field, values.AsMemory()).GetAwaiter().GetResult();
        return [.. values.Select(v => v.HasValue ? (object?)v.Value : null)];
    }
}
