// What steps built for one task share: language tables, loaded LID models (one per file, thread-safe), the rejected-document sink.
using System.Collections.Concurrent;
using Pharos.Curation.Filters;
using Pharos.Curation.LanguageId;

namespace Pharos.Curation.Pipeline;

public sealed class StepContext(LanguageTable table, Func<string, string> resolvePath)
{
    static readonly ConcurrentDictionary<string, Lazy<FastTextModel>> Models = new(StringComparer.Ordinal);

    public LanguageTable Table => table;
    public Func<string, string> ResolvePath => resolvePath;
    public Action<Document, string>? Rejected { get; init; }

    public static FastTextModel Model(string path) =>
        Models.GetOrAdd(Path.GetFullPath(path), p => new Lazy<FastTextModel>(() => FastTextModel.Load(p))).Value;
}
