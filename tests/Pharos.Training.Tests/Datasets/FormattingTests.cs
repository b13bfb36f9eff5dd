// Chat formatting puts the loss on assistant tokens only; bad records are counted by reason with file and line.
using System.IO.Compression;
using Pharos.Tests;
using Pharos.Training.Datasets;

namespace Pharos.Training.Tests.Datasets;

public class FormattingTests
{
    static readonly CharTokenizer Tok = new();

    static List<TokenizedExample> Load(TempDir dir, string jsonl, BadRecords bad, int seqLen = 1000)
    {
        File.WriteAllText(dir.File("d.jsonl"), jsonl);
        var chat = new ChatFormatter(Tok);
        var text = new TextFormatter(Tok);
        var result = new List<TokenizedExample>();
        foreach (var r in RecordReader.Read(dir.File("d.jsonl"), bad))
        {
            var e = r.Json.ContainsKey("text") ? text.Format(r, bad) : chat.Format(r, bad);
            if (e is not null) result.Add(e);
        }
        return result;
    }

    [Fact]
    public void Only_assistant_turns_are_targets()
    {
        using var dir = new TempDir();
        using var bad = new BadRecords();
        var e = Load(dir, """{"messages":[{"role":"system","content":"S"},{"role":"user","content":"hi"},{"role":"assistant","content":"yo"},{"role":"user","content":"q"},{"role":"assistant","content":"ok"}]}""" + "\n", bad).Single();
        string targets = Tok.Decode(e.Ids.Where((_, i) => e.Targets[i]).ToList());
        Assert.Equal("yo<|im_end|>\nok<|im_end|>\n", targets);
        Assert.Equal(Tok.RenderChat([new("system", "S"), new("user", "hi"), new("assistant", "yo"), new("user", "q"), new("assistant", "ok")], false), Tok.Decode(e.Ids));
    }

    [Fact]
    public void Prompt_completion_strings_learn_the_completion_and_eos()
    {
        using var dir = new TempDir();
        using var bad = new BadRecords();
        var e = Load(dir, """{"prompt":"ab","completion":"cd"}""" + "\n", bad).Single();
        Assert.Equal([false, false, true, true, true], e.Targets);
        Assert.Equal(Tok.EosId, e.Ids[^1]);
    }

    [Fact]
    public void Bad_records_are_counted_by_reason_with_file_and_line()
    {
        using var dir = new TempDir();
        using var bad = new BadRecords(dir.File("quarantine.jsonl"));
        var lines = string.Join("\n",
            """{"text":"fine"}""",
            "{not json",
            """{"messages":[{"role":"wizard","content":"x"},{"role":"assistant","content":"y"}]}""",
            """{"other":1}""",
            """{"messages":[{"role":"user","content":"x"},{"role":"assistant","content":"y"}]}""") + "\n";
        var good = Load(dir, lines, bad);
        Assert.Equal(2, good.Count);
        Assert.Equal(1, bad.Counts[BadRecords.InvalidJson]);
        Assert.Equal(1, bad.Counts[BadRecords.UnknownRole]);
        Assert.Equal(1, bad.Counts[BadRecords.MissingField]);
        var quarantine = File.ReadAllLines(dir.File("quarantine.jsonl"));
        Assert.Contains(quarantine, l => l.Contains("\"line\":2") && l.Contains(BadRecords.InvalidJson));
        Assert.Contains(quarantine, l => l.Contains("\"line\":3") && l.Contains(BadRecords.UnknownRole));
    }

    [Fact]
    public void A_conversation_the_template_refuses_is_a_bad_record_with_file_and_line()
    {
        using var dir = new TempDir();
        // A real tokenizer folder whose template refuses conversations whose roles do not alternate, as Gemma's does.
        var folder = ChatModelFolder.Create(dir);
        var configPath = Path.Combine(folder, "tokenizer_config.json");
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(configPath))!;
        config["chat_template"] = "{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
            + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
            + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
        File.WriteAllText(configPath, config.ToJsonString());
        var tokenizer = Pharos.Training.Tokenizer.TokenizerLoader.Load(folder);
        var path = dir.File("sft.jsonl");
        File.WriteAllText(path, """{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]}""" + "\n"
            + """{"messages":[{"role":"assistant","content":"a"},{"role":"assistant","content":"b"}]}""" + "\n"
            + """{"messages":[{"role":"user","content":"c"},{"role":"assistant","content":"d"}]}""" + "\n");
        using var bad = new BadRecords(dir.File("bad.jsonl"));
        var chat = new ChatFormatter(tokenizer);
        var good = RecordReader.Read(path, bad).Select(r => chat.Format(r, bad)).OfType<TokenizedExample>().ToList();
        Assert.Equal([1L, 3L], good.Select(e => e.Line));
        Assert.Equal(1, bad.Counts[BadRecords.TemplateError]);
        var listed = Assert.Single(File.ReadAllLines(dir.File("bad.jsonl")));
        Assert.Contains("\"line\":2", listed);
        Assert.Contains(path.Replace("\\", "\\\\"), listed);
        Assert.Contains("roles must alternate", listed);
    }

    [Fact]
    public void A_new_run_replaces_the_previous_runs_bad_record_list()
    {
        using var dir = new TempDir();
        var list = dir.File("bad_records.jsonl");
        using (var first = new BadRecords(list))
            first.Add("d.jsonl", 3, BadRecords.InvalidJson, "broken");
        Assert.True(File.Exists(list));
        // A clean rerun finds no bad record: nothing from the first run may remain listed.
        using (var second = new BadRecords(list))
            Assert.Equal(0, second.Total);
        Assert.False(File.Exists(list));
    }

    [Fact]
    public void Too_long_examples_are_skipped_and_strict_mode_stops()
    {
        using var dir = new TempDir();
        var path = dir.File("sft.jsonl");
        File.WriteAllText(path, """{"messages":[{"role":"user","content":"short"},{"role":"assistant","content":"ok"}]}""" + "\n"
            + """{"messages":[{"role":"user","content":"this one is far too long for the row"},{"role":"assistant","content":"ok"}]}""" + "\n");
        using var bad = new BadRecords();
        var data = DataPipeline.Build([new DataSource("s", [path])], Tok, dir.File("shards"), 40, streamPacking: false, seed: 1, bad, evalFraction: 0);
        data.Resources?.Dispose();
        Assert.Equal(1, bad.Counts[BadRecords.TooLong]);
        Assert.Equal(1, data.Train.Count);
        using var strict = new BadRecords(strict: true);
        var e = Assert.Throws<InvalidRecordException>(() => DataPipeline.Build([new DataSource("s", [path])], Tok, dir.File("shards"), 40, false, 1, strict, 0));
        Assert.Equal(2, e.Line);
        Assert.Contains("sft.jsonl:2: too_long", e.Message);
    }

    public sealed class TextRow
    {
        public string? text { get; set; }
    }

    [Fact]
    public async Task Parquet_text_columns_read_as_records()
    {
        using var dir = new TempDir();
        await Parquet.Serialization.ParquetSerializer.SerializeAsync(new[] { new TextRow { text = "abc" }, new TextRow { text = "de" } }, dir.File("a.parquet"));
        using var bad = new BadRecords();
        var records = RecordReader.Read(dir.File("a.parquet"), bad).ToList();
        Assert.Equal(["abc", "de"], records.Select(r => (string)r.Json["text"]!).ToArray());
        Assert.Equal([1L, 2L], records.Select(r => r.Line).ToArray());
    }

    [Fact]
    public void Gzip_and_zstd_files_read_like_plain_jsonl()
    {
        using var dir = new TempDir();
        var text = """{"text":"abc"}""" + "\n" + """{"text":"de"}""" + "\n";
        using (var gz = new GZipStream(File.Create(dir.File("a.jsonl.gz")), CompressionLevel.Fastest)) gz.Write(System.Text.Encoding.UTF8.GetBytes(text));
        File.WriteAllBytes(dir.File("a.jsonl.zst"), new ZstdSharp.Compressor().Wrap(System.Text.Encoding.UTF8.GetBytes(text)).ToArray());
        using var bad = new BadRecords();
        foreach (var name in new[] { "a.jsonl.gz", "a.jsonl.zst" })
            Assert.Equal(["abc", "de"], RecordReader.Read(dir.File(name), bad).Select(r => (string)r.Json["text"]!).ToArray());
    }
}
