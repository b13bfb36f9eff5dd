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

    /// <summary>torch.allclose's rule: |a − b| ≤ atol + rtol·|b|.</summary>
    public static void AllClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double atol = 1e-5, double rtol = 1e-5)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= atol + rtol * Math.Abs(expected[i]),
                $"segment {i}: expected {expected[i]:R}, got {actual[i]:R} (|diff| {Math.Abs(actual[i] - expected[i]):E2})");
    }
}
