// `pharos data tokenize`: shards and a manifest from real sample files on local workers or a real Slurm; a rerun does
// nothing; a cut input stops with one line naming the file and the byte offset.
using System.IO.Compression;
using System.Text.Json.Nodes;
using Pharos.Cli.Tests.Curation;
using Pharos.Tests;
using Xunit.Abstractions;

namespace Pharos.Cli.Tests.Commands;

public sealed class DataCommandTests(ITestOutputHelper output)
{
    static string[] Inputs => [RepoPaths.Samples("data", "sft-general.jsonl"), RepoPaths.Samples("data", "cpt-instructions.jsonl")];

    [Fact]
    public void Tokenize_writes_shards_and_a_manifest_and_a_rerun_does_nothing()
    {
        using var dir = new TempDir();
        var tokenizer = ChatModelFolder.Create(dir);
        var shards = dir.File("shards");
        var run = CliProcess.Run(["data", "tokenize", "--tokenizer", tokenizer, "--input", .. Inputs, "--output", shards, "--workers", "2"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("tokenize: 2 of 2 tasks to run", run.Stdout);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(shards, "manifest.json")))!;
        var sources = manifest["sources"]!.AsArray();
        Assert.Equal(Inputs.Select(Path.GetFullPath), sources.Select(s => (string)s!["input"]!));
        Assert.Equal(492 + 50, (long)manifest["documents"]!);
        Assert.All(sources, s => Assert.True(File.Exists(Path.Combine(shards, (string)s!["shard"]!))));
        Assert.Equal(64, ((string)manifest["tokenizer_hash"]!).Length);

        var again = CliProcess.Run(["data", "tokenize", "--tokenizer", tokenizer, "--input", .. Inputs, "--output", shards]);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("tokenize: 0 of 2 tasks to run (2 already complete)", again.Stdout);
    }

    [Fact]
    public void A_cut_input_stops_with_one_line_naming_file_and_offset()
    {
        using var dir = new TempDir();
        var tokenizer = ChatModelFolder.Create(dir);
        var cut = dir.File("cut.jsonl.gz");
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
            gz.Write(File.ReadAllBytes(RepoPaths.Samples("data", "cpt-monolingual.jsonl")));
        File.WriteAllBytes(cut, ms.ToArray()[..(int)(ms.Length / 2)]);
        var run = CliProcess.Run("data", "tokenize", "--tokenizer", tokenizer, "--input", cut, "--output", dir.File("shards"));
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches($"^pharos: error: {System.Text.RegularExpressions.Regex.Escape(cut)}: truncated or corrupt input at byte [0-9]+: gzip stream", line);
        Assert.False(File.Exists(Path.Combine(dir.File("shards"), "manifest.json")));
    }

    [SlurmFact]
    public void Tokenize_runs_as_a_slurm_job_array()
    {
        using var dir = new TempDir();
        var tokenizer = ChatModelFolder.Create(dir);
        var shards = dir.File("shards");
        var run = CliProcess.Run(["data", "tokenize", "--tokenizer", tokenizer, "--input", .. Inputs, "--output", shards, "--executor", "slurm", "--wait", "--wait-timeout", "150"]);
        output.WriteLine(run.Stdout + run.Stderr);
        var logs = Path.Combine(shards, "_slurm", "logs");
        if (run.ExitCode != 0 && Directory.Exists(logs))
            foreach (var log in Directory.GetFiles(logs).Order())
                output.WriteLine($"== {Path.GetFileName(log)}\n{File.ReadAllText(log)}");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("tokenize: submitted job", run.Stdout);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(shards, "manifest.json")))!;
        Assert.Equal(2, manifest["sources"]!.AsArray().Count);
    }
}
