// A shard writer: documents go to a temporary file that becomes visible only on Commit (a killed task leaves nothing half-written).
namespace Pharos.Curation.Writers;

public interface IDocumentWriter : IDisposable
{
    string Path { get; }
    long Count { get; }
    void Write(Document doc);
    /// <summary>Flushes, fsyncs and renames the temporary file into place. Dispose without Commit deletes it.</summary>
    void Commit();
}
