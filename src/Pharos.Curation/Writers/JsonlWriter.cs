// Writes datatrove-compatible JSONL ({"text","id","metadata":{…}}), zstd- or gzip-compressed by extension, atomically.
using Pharos.IO;
using System.Text.Json;

namespace Pharos.Curation.Writers;

public sealed class JsonlWriter : IDocumentWriter
{
    readonly FileStream _file;
    readonly Stream _stream;
    readonly Utf8JsonWriter _json;
    static readonly byte[] NewLine = "\n"u8.ToArray();
    bool _done;

    public JsonlWriter(string path)
    {
        Path = path;
        _file = AtomicFile.CreateTemp(path);
        _stream = CompressedFile.Wrap(_file, path);
        _json = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    public string Path { get; }
    public long Count { get; private set; }

    public void Write(Document doc)
    {
        _json.WriteStartObject();
        _json.WriteString("text", doc.Text);
        _json.WriteString("id", doc.Id);
        _json.WritePropertyName("metadata");
        JsonSerializer.Serialize(_json, doc.Metadata);
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        _stream.Write(NewLine);
        Count++;
    }

    public void Commit()
    {
        _json.Dispose();
        if (!ReferenceEquals(_stream, _file))
            _stream.Dispose(); // finishes the compressed frame; the file stays open (see Wrap's leaveOpen below).
        AtomicFile.Commit(_file, Path);
        _done = true;
    }

    public void Dispose()
    {
        if (_done)
            return;
        _json.Dispose();
        try { _stream.Dispose(); } catch (IOException) { }
        _file.Dispose();
        AtomicFile.Discard(_file.Name);
        _done = true;
    }
}
