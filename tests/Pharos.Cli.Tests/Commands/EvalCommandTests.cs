// `pharos eval` end to end through the real command: a local model folder, Pharos's own server on loopback (answering,
// and refusing every request), the output files, `pharos eval report` over two runs, and bad data stopping with one line.
using System.Text.Json.Nodes;
using Pharos.Serve;
using Pharos.Tests;

namespace Pharos.Cli.Tests.Commands;

public sealed class EvalCommandTests
{
    [Fact]
    public async Task Local_model_and_endpoint_runs_write_outputs_and_compare_in_one_report()
    {
        using var temp = new TempDir();
        var folder = ChatModelFolder.Create(temp);
        var local = Path.Combine(temp.Path, "local");
        var r = CliProcess.Run("eval", "--model", folder, "--suite", "translation,ifeval,ifmt,math", "--limit", "2", "--max-tokens", "8", "-o", local);
        Assert.True(r.ExitCode == 0, r.Stderr);
        foreach (var suite in new[] { "translation", "ifeval", "ifmt", "math" })
        {
            Assert.Equal(2, File.ReadAllLines(Path.Combine(local, suite + ".jsonl")).Length);
            Assert.Matches($"(?m)^{suite}: items=2 errors=0 ", r.Stdout);
        }
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(local, "results.json")))!;
        Assert.Equal("stories260K", (string?)results["name"]);
        Assert.Equal(0.0, (double)results["suites"]!["math"]!["metrics"]!["accuracy"]!);
        Assert.True(File.Exists(Path.Combine(local, "report.html")));

        using var served = new ServedModel(folder, "stories");
        await using var server = await OpenAiServer.StartAsync(served, "127.0.0.1", 0, quiet: true);
        var remote = Path.Combine(temp.Path, "remote");
        r = CliProcess.Run("eval", "--endpoint", server.Address, "--model-name", "stories", "--name", "remote", "--suite", "math,ifmt", "--limit", "2", "--max-tokens", "8", "-o", remote);
        Assert.True(r.ExitCode == 0, r.Stderr);
        // Greedy answers through the server equal the local ones.
        Assert.Equal(Outputs(Path.Combine(local, "math.jsonl")), Outputs(Path.Combine(remote, "math.jsonl")));

        var report = Path.Combine(temp.Path, "compare.html");
        r = CliProcess.Run("eval", "report", Path.Combine(local, "results.json"), Path.Combine(remote, "results.json"), "-o", report);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("2 run(s)", r.Stdout);
        var html = File.ReadAllText(report);
        Assert.Contains("<th>stories260K</th><th>remote</th>", html);
        var plots = Directory.GetFiles(Path.Combine(temp.Path, "compare_plots"));
        Assert.NotEmpty(plots);
        Assert.All(plots, png => Assert.Equal(0x89, File.ReadAllBytes(png)[0]));
    }

    [Fact]
    public async Task Comet_and_judged_suites_run_through_the_command()
    {
        using var temp = new TempDir();
        var folder = ChatModelFolder.Create(temp);
        // The judge: Pharos's server on a copy of the tiny model with room for the judge prompt (it writes no verdicts).
        var judgeFolder = Path.Combine(temp.Path, "judge");
        Directory.CreateDirectory(judgeFolder);
        foreach (var f in Directory.GetFiles(folder)) File.Copy(f, Path.Combine(judgeFolder, Path.GetFileName(f)));
        var config = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(judgeFolder, "config.json")))!;
        config["max_position_embeddings"] = 1024;
        File.WriteAllText(Path.Combine(judgeFolder, "config.json"), config.ToJsonString());
        using var served = new ServedModel(judgeFolder, "judge");
        await using var server = await OpenAiServer.StartAsync(served, "127.0.0.1", 0, quiet: true);

        var output = Path.Combine(temp.Path, "out");
        string Comet(params string[] parts) => RepoPaths.Fixtures("Pharos.Eval.Tests", ["comet", .. parts]);
        var r = CliProcess.Run("eval", "--model", folder, "--suite", "translation,ifmt,arena", "--limit", "2", "--max-tokens", "6", "-o", output,
            "--comet-model", Comet("models", "kiwi"), "--comet-encoder", Comet("encoder"),
            "--judge-endpoint", server.Address, "--judge-model", "judge", "--judge-max-tokens", "4", "--ifmt-judge");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var suites = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "results.json")))!["suites"]!;
        foreach (var suite in new[] { "translation", "ifmt" })
        {
            var comet = (double)suites[suite]!["metrics"]!["COMET"]!;
            Assert.InRange(comet, 0, 1); // CometKiwi's sigmoid head
            Assert.All(File.ReadAllLines(Path.Combine(output, suite + ".jsonl")), l => Assert.NotNull(JsonNode.Parse(l)!["scores"]!["COMET"]));
        }
        Assert.Equal(2, (double)suites["ifmt"]!["metrics"]!["judge_unparsed"]!);
        var arena = suites["arena"]!["metrics"]!;
        Assert.Equal(4, (double)arena["judge_unparsed"]!);
        Assert.Matches("(?m)^arena: items=2 errors=0 .*judge_unparsed=4", r.Stdout);
        Assert.Matches("(?m)^translation: .*COMET=0\\.\\d{3}", r.Stdout);
        Assert.True(File.Exists(Path.Combine(output, "report.html")));

        var noJudge = CliProcess.Run("eval", "--model", folder, "--suite", "arena");
        Assert.Equal(1, noJudge.ExitCode);
        Assert.Contains("--judge-endpoint", noJudge.Stderr);
    }

    [Fact]
    public async Task Endpoint_errors_are_counted_per_item_and_never_crash_the_run()
    {
        using var temp = new TempDir();
        var folder = ChatModelFolder.Create(temp);
        using var served = new ServedModel(folder, "stories");
        await using var server = await OpenAiServer.StartAsync(served, "127.0.0.1", 0, quiet: true);
        var output = Path.Combine(temp.Path, "run");
        // The server knows no model "gpt-9": every request gets HTTP 404.
        var r = CliProcess.Run("eval", "--endpoint", server.Address, "--model-name", "gpt-9", "--suite", "ifeval,math", "--limit", "3", "-o", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("ifeval: items=3 errors=3 prompt_level_strict_acc=0.000", r.Stdout);
        Assert.Contains("math: items=3 errors=3 accuracy=0.000", r.Stdout);
        var record = JsonNode.Parse(File.ReadLines(Path.Combine(output, "math.jsonl")).First())!;
        Assert.StartsWith("HTTP 404", (string?)record["error"]);
        Assert.Equal(3, (int)JsonNode.Parse(File.ReadAllText(Path.Combine(output, "results.json")))!["suites"]!["math"]!["errors"]!);
    }

    [Fact]
    public void Bad_data_stops_before_the_model_loads_with_one_line_naming_file_line_and_item()
    {
        using var temp = new TempDir();
        var data = temp.File("ifmt.jsonl");
        File.WriteAllText(data, """{"id": "a1", "lp": "en-de", "source": "Hi", "reference": "Hallo", "instructions": [{"id": "translation:glossary", "args": {"terms": "Hallo"}}]}""" + "\n");
        var r = CliProcess.Run("eval", "--model", temp.Path, "--suite", "ifmt", "--data", "ifmt=" + data);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"pharos: error: {data}:1: item a1: instruction 'translation:glossary': argument 'terms'", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("unknown suite 'bleu'", "eval", "--model", "m", "--suite", "bleu")]
    [InlineData("give either --model DIR or --endpoint URL --model-name NAME", "eval", "--suite", "math")]
    [InlineData("--endpoint needs --model-name NAME", "eval", "--endpoint", "http://127.0.0.1:9/v1")]
    public void Wrong_options_are_one_line_errors(string message, params string[] args)
    {
        var r = CliProcess.Run(args);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(message, r.Stderr);
    }

    static List<string?> Outputs(string path) => File.ReadLines(path).Select(l => (string?)JsonNode.Parse(l)!["output"]).ToList();
}
