// translate and chat end to end: prompts through the chat template, the same text as direct generation, files and stdin;
// a translate run killed midway continues on rerun.
using System.Text.Json.Nodes;
using Pharos.Models.Generation;
using Pharos.Models.Loading;
using Pharos.Models.Tokenization;
using Pharos.Tests;

namespace Pharos.Cli.Tests;

public class TextCommandsTests
{
    static string Direct(string folder, IReadOnlyList<ChatMessage> conversation, int maxNew)
    {
        using var model = ModelLoader.Load(folder);
        return new ChatGenerator(model, HfTokenizer.Load(folder)).Complete([conversation], new GenerationOptions { MaxNewTokens = maxNew })[0];
    }

    [Fact]
    public void Translate_an_argument_uses_the_tower_prompt_in_the_chat_template()
    {
        using var temp = new TempDir();
        var folder = ChatModelFolder.Create(temp);
        var r = CliProcess.Run("translate", "-m", folder, "--from", "en", "--to", "pt-PT", "--max-new-tokens", "12", "Hello world!");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var expected = Direct(folder, TranslationPrompt.Messages("Hello world!", "en", "pt-PT"), 12).Trim().ReplaceLineEndings(" ");
        Assert.Equal(expected, r.Stdout.TrimEnd('\n'));
    }

    [Fact]
    public void Translate_jsonl_adds_translation_and_quarantines_bad_lines()
    {
        using var temp = new TempDir();
        var folder = ChatModelFolder.Create(temp);
        var input = temp.File("in.jsonl");
        File.WriteAllLines(input, ["""{"id":1,"source":"Good morning."}""", "{broken", """{"id":2,"text":"no source"}""", """{"id":3,"source":"Thank you."}"""]);
        var output = temp.File("out.jsonl");
        var r = CliProcess.Run("translate", "-m", folder, "--from", "en", "--to", "de", "-i", input, "-o", output, "--max-new-tokens", "8", "--batch-size", "2");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var records = File.ReadAllLines(output).Select(l => (JsonObject)JsonNode.Parse(l)!).ToArray();
        Assert.Equal([1, 3], records.Select(x => (int)x["id"]!));
        Assert.All(records, x => Assert.False(string.IsNullOrEmpty((string?)x["translation"])));
        var rejected = File.ReadAllLines(output + ".rejected.jsonl").Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal([2, 3], rejected.Select(x => (int)x["line"]!));
        Assert.Contains("invalid JSON", (string?)rejected[0]["reason"]);
        Assert.Contains("'source'", (string?)rejected[1]["reason"]);
        Assert.Contains("2 bad line(s) quarantined", r.Stderr);

        var strict = CliProcess.Run("translate", "-m", folder, "--from", "en", "--to", "de", "-i", input, "--strict");
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("in.jsonl:2: invalid JSON", strict.Stderr);
    }

    [Fact]
    public void Translate_killed_midway_continues_on_rerun_and_gives_the_uninterrupted_output()
    {
        using var temp = new TempDir();
        var folder = ChatModelFolder.Create(temp);
        var input = temp.File("in.jsonl");
        File.WriteAllLines(input, Enumerable.Range(0, 16).Select(i => new JsonObject { ["id"] = i, ["source"] = $"Sentence {i} is here." }.ToJsonString()));
        string[] Args(string output, string maxNew = "16") =>
            ["translate", "-m", folder, "--from", "en", "--to", "de", "-i", input, "-o", output, "--max-new-tokens", maxNew, "--batch-size", "2"];
        var straight = CliProcess.Run(Args(temp.File("straight.jsonl")));
        Assert.True(straight.ExitCode == 0, straight.Stderr);

        var output = temp.File("out.jsonl");
        var partial = output + ".partial.jsonl";
        using (var p = CliProcess.StartUnattended(Args(output)))
        {
            // Header + one batch on disk: the run is midway (8 batches in all).
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!p.HasExited && DateTime.UtcNow < deadline && (!File.Exists(partial) || File.ReadLines(partial).Count() < 3)) Thread.Sleep(10);
            Assert.False(p.HasExited, "the run finished before it could be killed");
            p.Kill(); // SIGKILL: no cleanup runs
            p.WaitForExit();
        }
        Assert.False(File.Exists(output), "a killed run must not leave an output that looks finished");
        int kept = File.ReadLines(partial).Count() - 1;
        Assert.InRange(kept, 2, 15);
        File.AppendAllText(partial, "{\"line\": 99, \"transl"); // a record cut short by the kill

        var other = CliProcess.Run(Args(output, maxNew: "8"));
        Assert.Equal(1, other.ExitCode);
        Assert.Contains("out.jsonl.partial.jsonl: a translation in progress with other settings (max_new_tokens was 16, now 8)",
            System.Text.RegularExpressions.Regex.Replace(other.Stderr, @"\s+", " "));

        var rerun = CliProcess.Run(Args(output));
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        var said = System.Text.RegularExpressions.Regex.Replace(rerun.Stderr, @"\s+", " "); // the console wraps long lines
        Assert.Contains($"out.jsonl.partial.jsonl: {kept / 2 * 2} of 16 segment(s) already translated", said);
        Assert.False(File.Exists(partial));
        var records = File.ReadAllLines(output).Select(l => (JsonObject)JsonNode.Parse(l)!).ToArray();
        Assert.Equal(Enumerable.Range(0, 16), records.Select(r => (int)r["id"]!)); // every record once, in input order
        Assert.Equal(File.ReadAllText(temp.File("straight.jsonl")), File.ReadAllText(output));
    }

    [Fact]
    public void Translate_reads_lines_from_stdin_and_rejects_unknown_languages()
    {
        using var temp = new TempDir();
        var folder = ChatModelFolder.Create(temp);
        var r = CliProcess.RunWithInput("One.\nTwo.\n", "translate", "-m", folder, "--from", "en", "--to", "ko", "--max-new-tokens", "4");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(2, r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var bad = CliProcess.Run("translate", "-m", folder, "--from", "en", "--to", "xx-Klingon", "hi");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("xx-Klingon", bad.Stderr);
    }

    [Fact]
    public void Chat_streams_answers_keeps_the_conversation_and_resets()
    {
        using var temp = new TempDir();
        var folder = ChatModelFolder.Create(temp);
        var r = CliProcess.RunWithInput("Once upon a time\n/system Be brief.\nAnd then?\n/reset\nOnce upon a time\n/exit\n",
            "chat", "-m", folder, "--temperature", "0", "--max-new-tokens", "10");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var answers = r.Stdout.Split('\n');
        var first = Direct(folder, [new("user", "Once upon a time")], 10);
        Assert.Equal(first, answers[0]);
        var second = Direct(folder, [new("system", "Be brief."), new("user", "Once upon a time"), new("assistant", first), new("user", "And then?")], 10);
        Assert.Equal(second, answers[1]);
        Assert.Equal(Direct(folder, [new("system", "Be brief."), new("user", "Once upon a time")], 10), answers[2]);
        Assert.Contains("(conversation cleared)", r.Stderr);
    }
}
