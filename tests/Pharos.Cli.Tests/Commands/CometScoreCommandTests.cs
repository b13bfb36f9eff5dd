// `pharos score -m comet|cometkiwi` on the COMET fixtures: COMET-CLI-style lines whose numbers are COMET's own scores.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Eval.Errors;
using Pharos.Tests;

namespace Pharos.Cli.Tests.Commands;

public sealed class CometScoreCommandTests
{
    static string Comet(params string[] parts) => RepoPaths.Fixtures("Pharos.Eval.Tests", ["comet", .. parts]);

    static (int Code, string Out, string Err) Run(params string[] args) => ScoreCommandTests.Run(args);

    /// <summary>src/mt/ref files (one segment a line) from the fixture's segments.jsonl.</summary>
    static (string Src, string Mt, string Ref) WriteFiles(TempDir dir)
    {
        var rows = File.ReadLines(Comet("segments.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        string Write(string name, string key)
        {
            var path = Path.Combine(dir.Path, name);
            File.WriteAllLines(path, rows.Select(r => r[key]!.GetValue<string>().Replace("\t", " ")));
            return path;
        }
        return (Write("src.txt", "src"), Write("mt.txt", "mt"), Write("ref.txt", "ref"));
    }

    static double[] Expected(string model)
    {
        var scores = JsonNode.Parse(File.ReadAllText(Comet("expected-scores.json")))![model]!["scores"]!.AsArray();
        return scores.Select(s => s!.GetValue<double>()).ToArray();
    }

    static double Number(string line) => double.Parse(line[(line.LastIndexOf("score: ", StringComparison.Ordinal) + 7)..], CultureInfo.InvariantCulture);

    [Fact]
    public void Comet_prints_segment_and_system_scores_like_comets_cli()
    {
        using var dir = new TempDir();
        var (src, mt, reference) = WriteFiles(dir);
        // Tabs become spaces in the files, so only segments without tabs keep COMET's exact inputs.
        var tabbed = File.ReadLines(Comet("segments.jsonl")).Select((l, i) => (l, i)).Where(x => x.l.Contains("\\t")).Select(x => x.i).ToHashSet();
        // Leading/trailing spaces are stripped, as COMET's CLI strips every line.
        var padded = File.ReadLines(Comet("segments.jsonl")).Select((l, i) => (l, i)).Where(x => x.l.Contains("\"  ")).Select(x => x.i).ToHashSet();
        var json = Path.Combine(dir.Path, "out.json");
        var (code, output, _) = Run("-m", "comet", "--comet-model", Comet("models", "regression"), "--comet-encoder", Comet("encoder"),
            "-s", src, "-r", reference, "-i", mt, "--batch-size", "5", "--to-json", json);
        Assert.Equal(0, code);
        var lines = output.TrimEnd('\n').Split('\n');
        var expected = Expected("regression");
        Assert.Equal(expected.Length + 2, lines.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.StartsWith($"{mt}\tSegment {i}\tscore: ", lines[i]);
            Assert.Matches(@"score: -?\d+\.\d{4}$", lines[i]);
            if (!tabbed.Contains(i) && !padded.Contains(i))
                Assert.True(Math.Abs(Number(lines[i]) - expected[i]) <= 1e-4 + 1e-9, $"{lines[i]} vs {expected[i]}");
        }
        Assert.StartsWith($"{mt}\tscore: ", lines[^2]);
        Assert.Equal($"Predictions saved in: {json}.", lines[^1]);
        var saved = JsonNode.Parse(File.ReadAllText(json))![mt]!.AsArray();
        Assert.Equal(expected.Length, saved.Count);
        Assert.Equal(expected[0], saved[0]!["COMET"]!.GetValue<double>(), 5);
        Assert.Equal("Alle Menschen sind frei und gleich an Würde und Rechten geboren.", saved[0]!["mt"]!.GetValue<string>());
    }

    [Fact]
    public void Cometkiwi_needs_no_reference_and_only_system_prints_one_line_per_system()
    {
        using var dir = new TempDir();
        var (src, mt, reference) = WriteFiles(dir);
        var (code, output, _) = Run("-m", "cometkiwi", "--comet-model", Comet("models", "kiwi", "safetensors"), "--comet-encoder", Comet("encoder"),
            "-s", src, "-i", mt, reference, "--only-system");
        Assert.Equal(0, code);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{mt}\tscore: 0.", lines[0]);
        Assert.StartsWith($"{reference}\tscore: 0.", lines[1]);
    }

    [Fact]
    public void Wrong_combinations_are_refused_with_the_fix()
    {
        using var dir = new TempDir();
        var (src, mt, reference) = WriteFiles(dir);
        var noRef = Assert.Throws<InvalidInputException>(() => Run("-m", "comet", "--comet-model", Comet("models", "regression"),
            "--comet-encoder", Comet("encoder"), "-s", src, "-i", mt));
        Assert.Contains("needs references", noRef.Message);
        var kiwiRef = Assert.Throws<InvalidInputException>(() => Run("-m", "cometkiwi", "--comet-model", Comet("models", "kiwi"), "-s", src, "-r", reference, "-i", mt));
        Assert.Contains("leave out -r", kiwiRef.Message);
        var noModel = Assert.Throws<InvalidInputException>(() => Run("-m", "comet", "-s", src, "-r", reference, "-i", mt));
        Assert.Contains("--comet-model", noModel.Message);
        var mixed = Assert.Throws<InvalidInputException>(() => Run("-m", "comet", "bleu", "--comet-model", Comet("models", "regression"), "-s", src, "-r", reference, "-i", mt));
        Assert.Contains("run alone", mixed.Message);
        var bleuNoRef = Assert.Throws<InvalidInputException>(() => Run("-i", mt));
        Assert.Contains("-r", bleuNoRef.Message);
    }

    [Fact]
    public void Real_process_finds_the_encoder_in_the_hugging_face_cache()
    {
        using var dir = new TempDir();
        var (src, mt, _) = WriteFiles(dir);
        var snapshot = Path.Combine(dir.Path, "hub", "models--pharos-fixtures--tiny-xlm-roberta", "snapshots", "0123abcd");
        Directory.CreateDirectory(snapshot);
        foreach (var f in Directory.GetFiles(Comet("encoder")))
            File.Copy(f, Path.Combine(snapshot, Path.GetFileName(f)));
        var result = CliProcess.RunWithEnvironment(new Dictionary<string, string> { ["HF_HUB_CACHE"] = Path.Combine(dir.Path, "hub") },
            "score", "-m", "cometkiwi", "--comet-model", Comet("models", "kiwi"), "-s", src, "-i", mt);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        var expected = Expected("kiwi");
        Assert.Equal(expected.Length + 1, lines.Length);
        Assert.True(Math.Abs(Number(lines[0]) - expected[0]) <= 1e-4 + 1e-9, $"{lines[0]} vs {expected[0]}");
    }
}
