// fastText exactness: Pharos's predictions equal Debian fasttext's predict-prob and python3-fasttext's (labels, probabilities ±1e-5).
using System.Globalization;
using System.Text.Json;
using Pharos.Curation.LanguageId;
using Pharos.Tests;
using Xunit.Abstractions;

namespace Pharos.Curation.Tests.LanguageId;

public sealed class FastTextExactnessTests(ITestOutputHelper output)
{
    static string Fixture(string name) => RepoPaths.Fixtures("Pharos.Curation.Tests", "lid", name);

    [Theory]
    [InlineData("lid-softmax.bin", "heldout.softmax.expected")]
    [InlineData("lid-hs.ftz", "heldout.hs-ftz.expected")]
    public void SmallModelsMatchFastTextCli(string modelFile, string expectedFile)
    {
        var model = FastTextModel.Load(Fixture(modelFile));
        var lines = File.ReadAllLines(Fixture("heldout.txt"));
        var expected = File.ReadAllLines(Fixture(expectedFile));
        Assert.Equal(lines.Length, expected.Length);
        Assert.True(lines.Length >= 1000);
        var (top1, all, maxDiff) = Compare(lines.Zip(expected, (l, e) => (l, ParseCli(e))).ToList(), model);
        output.WriteLine($"{modelFile}: top-1 {top1}/{lines.Length}, top-3 labels+probs {all}/{lines.Length}, max |Δp| {maxDiff:E2}");
        Assert.Equal(lines.Length, top1);
        Assert.Equal(lines.Length, all);
    }

    [Fact]
    public void Lid176MatchesPythonFastText()
    {
        var model = FastTextModel.Load(RepoPaths.Samples("models", "lid.176.ftz"));
        Assert.True(model.IsQuantized);
        var rows = File.ReadLines(Fixture("udhr-lid176.expected.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).Select(r =>
            (r.GetProperty("text").GetString()!,
             r.GetProperty("labels").EnumerateArray().Zip(r.GetProperty("probs").EnumerateArray(), (l, p) => (l.GetString()!, (float)p.GetDouble())).ToList())).ToList();
        var (top1, all, maxDiff) = Compare(rows, model);
        output.WriteLine($"lid.176.ftz: top-1 {top1}/{rows.Count}, top-3 labels+probs {all}/{rows.Count}, max |Δp| {maxDiff:E2}");
        Assert.Equal(rows.Count, top1);
        Assert.Equal(rows.Count, all);
    }

    static (int Top1, int All, double MaxDiff) Compare(List<(string Text, List<(string Label, float Prob)> Expected)> rows, FastTextModel model)
    {
        int top1 = 0, all = 0;
        double maxDiff = 0;
        foreach (var (text, expected) in rows)
        {
            var got = model.Predict(text, 3);
            if (got.Count > 0 && expected.Count > 0 && got[0].Label == expected[0].Label)
                top1++;
            var same = got.Count == expected.Count;
            for (var i = 0; same && i < got.Count; i++)
            {
                var diff = Math.Abs(got[i].Probability - expected[i].Prob);
                maxDiff = Math.Max(maxDiff, diff);
                // Labels must match in order, unless two neighbours tie in probability (heap order is then unspecified).
                var labelOk = got[i].Label == expected[i].Label || Math.Abs(expected[i].Prob - got[i].Probability) < 1e-6 && expected.Any(e => e.Label == got[i].Label);
                same &= labelOk && diff <= 1e-5;
            }
            if (same)
                all++;
        }
        return (top1, all, maxDiff);
    }

    static List<(string, float)> ParseCli(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var result = new List<(string, float)>();
        for (var i = 0; i + 1 < parts.Length; i += 2)
            result.Add((parts[i], float.Parse(parts[i + 1], CultureInfo.InvariantCulture)));
        return result;
    }
}
