// The COMET fixtures (made by COMET's own code, see Fixtures/comet/README.md): segments, expected scores, paths.
using System.Text.Json;
using Pharos.Eval.Comet;
using Pharos.Tests;

namespace Pharos.Eval.Tests.Comet;

internal static class CometFixtures
{
    public static string Folder(params string[] parts) => RepoPaths.Fixtures("Pharos.Eval.Tests", ["comet", .. parts]);
    public static string Encoder => Folder("encoder");
    public static string Model(string name) => Folder("models", name);

    public static IReadOnlyList<CometSegment> Segments(bool withReference = true) =>
        File.ReadLines(Folder("segments.jsonl")).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            return new CometSegment(r.GetProperty("src").GetString()!, r.GetProperty("mt").GetString()!,
                withReference ? r.GetProperty("ref").GetString() : null);
        }).ToList();

    public static double[] Expected(string model, string key = "scores")
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Folder("expected-scores.json")));
        return doc.RootElement.GetProperty(model).GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();
    }

    public static double ExpectedScalar(string model, string key)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Folder("expected-scores.json")));
        return doc.RootElement.GetProperty(model).GetProperty(key).GetDouble();
    }

    /// <summary>COMET's scores to 1e-5 (torch.allclose's rule, see tests/Shared/AllClose.cs).</summary>
    public static void AllClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual) =>
        Pharos.Tests.AllClose.Equal(expected.ToArray(), actual.ToArray(), rtol: 1e-5, atol: 1e-5, "COMET segment scores");
}
