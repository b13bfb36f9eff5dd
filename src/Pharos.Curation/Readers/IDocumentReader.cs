// A reader turns one input file into documents; records it cannot read go to the quarantine with file and offset.
using Pharos.Curation.Pipeline;

namespace Pharos.Curation.Readers;

public interface IDocumentReader
{
    /// <summary>Yields the file's documents. Every record seen is either yielded or quarantined (the "in" count is both).</summary>
    IEnumerable<Document> Read(string path, Quarantine quarantine);
}
