// `pharos score` end to end: sacrebleu's own command-line output on the fixture files, paired tests, and bad input.
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Pharos.Cli.Commands;
using Pharos.Eval.Errors;
using Pharos.Tests;

namespace Pharos.Cli.Tests.Commands;

public sealed class ScoreCommandTests
{
    static string Fixture(string name) => RepoPaths.Fixtures("Pharos.Eval.Tests", "sacrebleu", name);

    /// <summary>`pharos score` in process, with its output captured (also used by the COMET score tests).</summary>
    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(ScoreCommand.Create());
        var output = new StringWriter();
        var error = new StringWriter();
        var code = root.Parse(["score", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        return (code, output.ToString().Replace("\r\n", "\n"), error.ToString());
    }

    public static TheoryData<int> SacrebleuRuns()
    {
        var data = new TheoryData<int>();
        var runs = JsonNode.Parse(File.ReadAllText(Fixture("cli.json")))!["runs"]!.AsArray();
        for (var i = 0; i < runs.Count; i++)
            data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(SacrebleuRuns))]
    public void PrintsWhatSacrebleuPrints(int run)
    {
        var fx = JsonNode.Parse(File.ReadAllText(Fixture("cli.json")))!["runs"]![run]!;
        var sacrebleuArgs = fx["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        // sacrebleu takes references as positional arguments before -i; pharos takes -r.
        var args = new List<string>();
        var i = 0;
        for (; sacrebleuArgs[i] != "-i"; i++)
            args.AddRange(["-r", Fixture(sacrebleuArgs[i])]);
        for (; i < sacrebleuArgs.Count; i++)
            args.Add(File.Exists(Fixture(sacrebleuArgs[i])) ? Fixture(sacrebleuArgs[i]) : sacrebleuArgs[i]);
        var (code, output, _) = Run([.. args]);
        Assert.Equal(0, code);
        Assert.Equal(fx["stdout"]!.GetValue<string>(), output);
    }

    [Fact]
    public void PairedBootstrapJsonMatchesSacrebleuNumbers()
    {
        var (code, output, _) = Run("-r", Fixture("wmt17.ref.de"), "-i", Fixture("wmt17.A.de"), Fixture("wmt17.B.de"), Fixture("wmt17.C.de"),
            "-m", "bleu", "chrf", "ter", "--chrf-word-order", "2", "--paired-bs");
        Assert.Equal(0, code);
        var json = JsonNode.Parse(output)!.AsArray();
        var fx = JsonNode.Parse(File.ReadAllText(Fixture("significance.json")))!["bs"]!["results"]!;
        Assert.Equal(3, json.Count);
        Assert.StartsWith("Baseline: ", json[0]!["system"]!.GetValue<string>());
        foreach (var name in new[] { "BLEU", "chrF2++", "TER" })
            for (var s = 0; s < 3; s++)
            {
                AllClose.Equal(fx[name]![s]!["score"]!.GetValue<double>(), json[s]![name]!["score"]!.GetValue<double>(), rtol: 1e-9, atol: 1e-9, $"{name} of system {s}");
                Assert.Equal(fx[name]![s]!["p_value"]?.GetValue<double>(), json[s]![name]!["p_value"]?.GetValue<double>());
            }
    }

    [Fact]
    public void PairedApproximateRandomizationPrintsTableAndSignatures()
    {
        var (code, output, _) = Run("-r", Fixture("wmt17.ref.de"), "-i", Fixture("wmt17.A.de"), Fixture("wmt17.B.de"),
            "-m", "bleu", "--paired-ar", "--paired-ar-n", "1000", "-f", "text");
        Assert.Equal(0, code);
        Assert.Contains("Paired approximate randomization test with 1000 trials", output);
        Assert.Contains("nrefs:1|ar:1000|seed:12345|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0", output);
        Assert.Matches(@"\(p = 0\.\d{4}\)", output);
    }

    [Fact]
    public void DifferentLengthsNameBothFiles()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("hyp.txt"), "a\nb\n");
        File.WriteAllText(tmp.File("ref.txt"), "a\nb\nc\n");
        var e = Assert.Throws<InvalidInputException>(() => Run("-r", tmp.File("ref.txt"), "-i", tmp.File("hyp.txt")));
        Assert.Contains("ref.txt has 3 lines but", e.Message);
        Assert.Contains("hyp.txt has 2", e.Message);
    }

    [Fact]
    public void InvalidUtf8NamesFileAndLine()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("ref.txt"), "a\nb\nc\n");
        File.WriteAllBytes(tmp.File("hyp.txt"), [(byte)'a', (byte)'\n', (byte)'b', (byte)'\n', 0xC3, 0x28, (byte)'\n']);
        var e = Assert.Throws<InvalidInputException>(() => Run("-r", tmp.File("ref.txt"), "-i", tmp.File("hyp.txt")));
        Assert.Contains("hyp.txt:3: invalid UTF-8", e.Message);
    }

    [Fact]
    public void EmptyLinesAreScoredWithAWarning()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("ref.txt"), "the cat\nsat down\n");
        File.WriteAllText(tmp.File("hyp.txt"), "the cat\n\n");
        var (code, output, error) = Run("-r", tmp.File("ref.txt"), "-i", tmp.File("hyp.txt"), "-f", "text", "-m", "chrf");
        Assert.Equal(0, code);
        Assert.StartsWith("chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0 = ", output);
        Assert.Contains("hyp.txt: 1 empty line(s) (first: line 2)", error);
    }

    [Fact]
    public void ProcessPrintsOneErrorLineAndFails()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("ref.txt"), "a\n");
        File.WriteAllText(tmp.File("hyp.txt"), "a\nb\n");
        var dll = Path.Combine(AppContext.BaseDirectory, "pharos.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { dll, "score", "-r", tmp.File("ref.txt"), "-i", tmp.File("hyp.txt") })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(1, p.ExitCode);
        Assert.StartsWith("pharos: error: ", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("ref.txt has 1 line but", stderr);
        Assert.Contains("hyp.txt has 2 lines", stderr);
    }
}
