// HfTokenizer on small hand-made folders: the pipeline pieces, tokenizer_config.json handling and errors, with no downloads.
using System.Text.Json.Nodes;
using Pharos.Models.Tokenization;
using Pharos.Tests;

namespace Pharos.Models.Tests.Tokenization;

public sealed class HfTokenizerTests
{
    [Fact]
    public void Byte_level_merges_by_rank_and_round_trips_any_text()
    {
        using var dir = new TempDir();
        var tok = HfTokenizer.Load(TinyTokenizers.Write(dir, TinyTokenizers.ByteLevel()));
        // Vocabulary ids: Ġt=256, he=257, Ġthe=258, ll=259, llo=260. " the" → Ġt + he → Ġthe; "hello" → he + l + l + o → he + llo.
        Assert.Equal(new[] { 258 }, tok.Encode(" the"));
        Assert.Equal(new[] { 257, 260 }, tok.Encode("hello"));
        Assert.Equal(new[] { 258, 257, 260 }, tok.Encode(" thehello"));
        foreach (var text in new[] { "héllo wörld 😀 中文", "  spaces\n\nand\ttabs", "" })
            Assert.Equal(text, tok.Decode(tok.Encode(text)));
        Assert.Equal(301, tok.VocabSize - 1);
    }

    [Fact]
    public void Added_tokens_are_matched_before_splitting_and_special_ones_skipped_on_request()
    {
        using var dir = new TempDir();
        var tok = HfTokenizer.Load(TinyTokenizers.Write(dir, TinyTokenizers.ByteLevel()));
        var ids = tok.Encode("hello<|end|><tool>he");
        Assert.Equal(new[] { 257, 260, 300, 301, 257 }, ids);
        Assert.Equal("hello<|end|><tool>he", tok.Decode(ids));
        Assert.Equal("hello<tool>he", tok.Decode(ids, skipSpecialTokens: true));
        Assert.True(tok.IsSpecial(300));
        Assert.False(tok.IsSpecial(301));
    }

    [Fact]
    public void Sentencepiece_style_bpe_uses_byte_fallback_and_its_decoders()
    {
        using var dir = new TempDir();
        var tok = HfTokenizer.Load(TinyTokenizers.Write(dir, TinyTokenizers.SentencePiece()));
        // "abc ab ä": abc | ▁ab | ▁ | ä → <0xC3><0xA4>; BOS from the post-processor.
        var ids = tok.Encode("abc ab ä");
        Assert.Equal(new[] { 2, 267, 266, 260, 4 + 0xC3, 4 + 0xA4 }, ids);
        Assert.Equal("<bos>abc ab ä", tok.Decode(ids));
        Assert.Equal("abc ab ä", tok.Decode(ids, skipSpecialTokens: true));
        Assert.Equal(new[] { 267 }, tok.Encode("abc", addSpecialTokens: false));
        // A lone continuation byte decodes to U+FFFD, one per byte, as Hugging Face's ByteFallback does.
        Assert.Equal("a\uFFFD\uFFFD", tok.Decode([261, 4 + 0xA4, 4 + 0xA4]));
    }

    [Fact]
    public void Tokenizer_config_sets_special_ids_add_bos_and_named_templates()
    {
        using var dir = new TempDir();
        var config = """
        {"bos_token": {"content": "<bos>", "lstrip": false}, "eos_token": "<eos>", "pad_token": "<pad>", "add_bos_token": false,
         "chat_template": [{"name": "default", "template": "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}"}, {"name": "tool_use", "template": "x"}]}
        """;
        var tok = HfTokenizer.Load(TinyTokenizers.Write(dir, TinyTokenizers.SentencePiece(), ("tokenizer_config.json", config),
            ("generation_config.json", """{"eos_token_id": [1, 0]}""")));
        Assert.Equal(2, tok.BosId);
        Assert.Equal(1, tok.EosId);
        Assert.Equal(0, tok.PadId);
        Assert.Equal(new[] { 1, 0 }, tok.EosIds);
        Assert.Equal(new[] { 267 }, tok.Encode("abc")); // add_bos_token false removes the template's BOS
        Assert.Equal("<bos>hi", tok.ApplyChatTemplate([new ChatMessage("user", "hi")], addGenerationPrompt: false));
    }

    [Fact]
    public void Add_eos_token_appends_eos()
    {
        using var dir = new TempDir();
        var tok = HfTokenizer.Load(TinyTokenizers.Write(dir, TinyTokenizers.SentencePiece(),
            ("tokenizer_config.json", """{"bos_token": "<bos>", "eos_token": "<eos>", "add_eos_token": true}""")));
        Assert.Equal(new[] { 2, 267, 1 }, tok.Encode("abc"));
    }

    [Fact]
    public void A_folder_without_a_chat_template_gets_its_familys_template()
    {
        using var dir = new TempDir();
        var json = TinyTokenizers.ByteLevel();
        ((JsonArray)json["added_tokens"]!).Add(new JsonObject { ["id"] = 302, ["content"] = "<|im_start|>", ["special"] = true, ["normalized"] = false });
        ((JsonArray)json["added_tokens"]!).Add(new JsonObject { ["id"] = 303, ["content"] = "<|im_end|>", ["special"] = true, ["normalized"] = false });
        var tok = HfTokenizer.Load(TinyTokenizers.Write(dir, json));
        Assert.Null(tok.ChatTemplate);
        Assert.Equal("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
            tok.ApplyChatTemplate([new ChatMessage("user", "hi")], addGenerationPrompt: true));
    }

    [Fact]
    public void Batch_encoding_equals_one_by_one()
    {
        using var dir = new TempDir();
        var tok = HfTokenizer.Load(TinyTokenizers.Write(dir, TinyTokenizers.SentencePiece()));
        string[] texts = ["abc", "ab ab", "", "ä ö ü"];
        var batch = tok.EncodeBatch(texts);
        Assert.Equal(texts.Select(t => tok.Encode(t)).ToArray(), batch.ToArray());
    }

    [Fact]
    public void A_missing_tokenizer_json_names_the_file()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidTokenizerException>(() => HfTokenizer.Load(dir.Path));
        Assert.Contains("tokenizer.json", e.Message);
        Assert.Contains("not found", e.Message);
        Assert.IsAssignableFrom<Pharos.Models.Errors.PharosException>(e);
    }

    [Fact]
    public void Malformed_json_names_the_file_and_line()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("tokenizer.json"), "{\n \"model\": [1, 2,\n");
        var e = Assert.Throws<InvalidTokenizerException>(() => HfTokenizer.Load(dir.Path));
        Assert.StartsWith("tokenizer.json: not valid JSON", e.Message);
    }

    [Theory]
    [InlineData("model", null, "tokenizer.json: field 'model': missing")]
    [InlineData("model.vocab", "\"oops\"", "tokenizer.json: field 'model.vocab': expected an object")]
    [InlineData("model.merges", "[\"nospace\"]", "tokenizer.json: field 'model.merges[0]'")]
    [InlineData("model.merges", "[[\"Ġ\", \"t\", \"x\"]]", "tokenizer.json: field 'model.merges[0]': a merge must have two parts")]
    [InlineData("model.type", "\"WordPiece\"", "tokenizer.json: field 'model.type': model type 'WordPiece' is not supported")]
    [InlineData("normalizer", "{\"type\": \"Precompiled\"}", "tokenizer.json: field 'normalizer.type': normalizer type 'Precompiled'")]
    [InlineData("pre_tokenizer", "{\"type\": \"Split\", \"behavior\": \"Isolated\"}", "tokenizer.json: field 'pre_tokenizer.pattern': missing")]
    [InlineData("decoder", "{\"type\": \"WordPiece\"}", "tokenizer.json: field 'decoder.type': decoder type 'WordPiece'")]
    [InlineData("added_tokens", "[{\"id\": \"x\", \"content\": \"a\"}]", "tokenizer.json: field 'added_tokens[0].id': expected an integer")]
    public void A_malformed_field_is_named(string path, string? value, string message)
    {
        using var dir = new TempDir();
        var json = TinyTokenizers.ByteLevel();
        var parts = path.Split('.');
        var parent = parts.Length == 1 ? json : (JsonObject)json[parts[0]]!;
        if (value is null)
            parent.Remove(parts[^1]);
        else
            parent[parts[^1]] = JsonNode.Parse(value);
        var e = Assert.Throws<InvalidTokenizerException>(() => HfTokenizer.Load(TinyTokenizers.Write(dir, json)));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void A_malformed_tokenizer_config_field_is_named()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidTokenizerException>(() => HfTokenizer.Load(TinyTokenizers.Write(dir, TinyTokenizers.ByteLevel(),
            ("tokenizer_config.json", """{"bos_token": 5}"""))));
        Assert.Equal("tokenizer_config.json: field 'bos_token': expected a string or an object with \"content\"", e.Message);
    }
}
