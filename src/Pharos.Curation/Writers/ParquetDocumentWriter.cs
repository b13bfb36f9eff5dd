// Writes Parquet shards (columns text, id, metadata as JSON; zstd), buffered into row groups, atomically.
using Pharos.IO;
using Parquet;
using Parquet.Schema;

namespace Pharos.Curation.Writers;

public sealed class ParquetDocumentWriter : IDocumentWriter
{
    static readonly DataField TextField = new DataField<string>("text");
    static readonly DataField IdField = new DataField<string>("id");
    static readonly DataField MetadataField = new DataField<string>("metadata");
    static readonly ParquetSchema Schema = new(TextField, IdField, MetadataField);

    readonly FileStream _file;
    readonly ParquetWriter _writer;
    readonly List<string> _text = [], _id = [], _metadata = [];
    readonly int _rowGroupSize;
    long _bufferedChars;
    bool _done;

    public ParquetDocumentWriter(string path, int rowGroupSize = 10_000)
    {
        Path = path;
        _rowGroupSize = rowGroupSize;
        _file = AtomicFile.CreateTemp(path);
        _writer = ParquetWriter.CreateAsync(Schema, _file, new ParquetOptions { CompressionMethod = CompressionMethod.Zstd }).GetAwaiter().GetResult();
    }

    public string Path { get; }
    public long Count { get; private set; }

    public void Write(Document doc)
    {
        _text.Add(doc.Text);
        _id.Add(doc.Id);
        _metadata.Add(ParquetMetadata.Serialize(doc.Metadata));
        _bufferedChars += doc.Text.Length;
        Count++;
        // Row groups close at a document count or ~64M chars, whichever comes first, so memory stays bounded.
        if (_text.Count >= _rowGroupSize || _bufferedChars > 64_000_000)
            FlushRowGroup();
    }

    void FlushRowGroup()
    {
        if (_text.Count == 0)
            return;
        using (var group = _writer.CreateRowGroup())
        {
            group.WriteAsync(TextField, _text).GetAwaiter().GetResult();
            group.WriteAsync(IdField, _id).GetAwaiter().GetResult();
            group.WriteAsync(MetadataField, _metadata).GetAwaiter().GetResult();
        }
        _text.Clear();
        _id.Clear();
        _metadata.Clear();
        _bufferedChars = 0;
    }

    public void Commit()
    {
        FlushRowGroup();
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        AtomicFile.Commit(_file, Path);
        _done = true;
    }

    public void Dispose()
    {
        if (_done)
            return;
        try { _writer.DisposeAsync().AsTask().GetAwaiter().GetResult(); } catch (Exception) { /* discarding anyway */ }
        _file.Dispose();
        AtomicFile.Discard(_file.Name);
        _done = true;
    }
}
