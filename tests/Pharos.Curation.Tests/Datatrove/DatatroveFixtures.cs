// Reads the fixtures that datatrove's own code produced on real multilingual text (Fixtures/datatrove/README.md).
using System.IO.Compression;
using System.Text.Json;
using Pharos.Tests;

namespace Pharos.Curation.Tests.Datatrove;

internal static class DatatroveFixtures
{
    public static string Path(string name) => RepoPaths.Fixtures("Pharos.Curation.Tests", "datatrove", name);

    public static List<JsonElement> Read(string name)
    {
        using var gz = new GZipStream(File.OpenRead(Path(name)), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        var records = new List<JsonElement>();
        while (reader.ReadLine() is { Length: > 0 } line)
            records.Add(JsonDocument.Parse(line).RootElement.Clone());
        return records;
    }

    /// <summary>The fixture corpus by id: language label and text.</summary>
    public static Dictionary<string, (string Language, string Text)> Corpus() =>
        Read("corpus.jsonl.gz").ToDictionary(d => d.GetProperty("id").GetString()!, d => (d.GetProperty("language").GetString()!, d.GetProperty("text").GetString()!));
}
