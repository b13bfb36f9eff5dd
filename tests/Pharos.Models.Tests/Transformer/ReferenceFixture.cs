// Loads one reference fixture made by Fixtures/make_fixtures.py (transformers 5.12.1): a model folder plus expected tensors and tokens.
using System.Text.Json.Nodes;
using Pharos.Models.Safetensors;
using Pharos.Tests;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Transformer;

internal sealed class ReferenceFixture : IDisposable
{
    readonly SafetensorsFile expected;

    public ReferenceFixture(string name)
    {
        Name = name;
        var stem = RepoPaths.Fixtures("Pharos.Models.Tests", name);
        // The real pretrained checkpoint lives in samples/ (the quickstart uses it too); tiny random ones beside their expectations.
        Folder = Directory.Exists(stem) ? stem : RepoPaths.Samples("models", name);
        expected = SafetensorsFile.Open(stem + ".expected.safetensors");
        Json = (JsonObject)JsonNode.Parse(File.ReadAllText(stem + ".expected.json"))!;
    }

    public string Name { get; }
    public string Folder { get; }
    public JsonObject Json { get; }

    public bool Has(string tensor) => expected.Contains(tensor);
    public Tensor Tensor(string name) => expected.Load(name);

    /// <summary>A list of id lists; a flat list (single-prompt fixtures) is one row.</summary>
    public int[][] Ids(string field)
    {
        var list = Json[field]!.AsArray();
        if (list.Count > 0 && list[0] is JsonValue)
            return [list.Select(x => (int)x!).ToArray()];
        return list.Select(row => row!.AsArray().Select(x => (int)x!).ToArray()).ToArray();
    }

    public void Dispose() => expected.Dispose();
}
