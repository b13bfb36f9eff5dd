// Small hand-made tokenizer folders (byte-level BPE and SentencePiece-style BPE) for tests that need no downloaded files.
using System.Text.Json.Nodes;
using Pharos.Tests;

namespace Pharos.Models.Tests.Tokenization;

internal static class TinyTokenizers
{
    /// <summary>GPT-2-style: the 256 byte characters plus merges for "Ġt", "he", "Ġthe", and &lt;|end|&gt; as a special token.</summary>
    public static JsonObject ByteLevel()
    {
        var vocab = new JsonObject();
        var alphabet = ByteAlphabet();
        for (var b = 0; b < 256; b++)
            vocab[alphabet[b].ToString()] = b;
        string[] merged = ["Ġt", "he", "Ġthe", "ll", "llo"];
        for (var i = 0; i < merged.Length; i++)
            vocab[merged[i]] = 256 + i;
        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(Added(300, "<|end|>", special: true), Added(301, "<tool>", special: false)),
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = true },
            ["post_processor"] = new JsonObject { ["type"] = "ByteLevel" },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["vocab"] = vocab,
                ["merges"] = new JsonArray("Ġ t", "h e", "Ġt he", "l l", "ll o"),
            },
        };
    }

    /// <summary>Gemma-style: spaces become ▁, unknown characters fall back to &lt;0xNN&gt; byte tokens, BOS added by the template.</summary>
    public static JsonObject SentencePiece()
    {
        var vocab = new JsonObject { ["<pad>"] = 0, ["<eos>"] = 1, ["<bos>"] = 2, ["<unk>"] = 3 };
        for (var b = 0; b < 256; b++)
            vocab[$"<0x{b:X2}>"] = 4 + b;
        string[] pieces = ["▁", "a", "b", "c", "▁a", "ab", "▁ab", "abc"];
        for (var i = 0; i < pieces.Length; i++)
            vocab[pieces[i]] = 260 + i;
        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(Added(0, "<pad>", true), Added(1, "<eos>", true), Added(2, "<bos>", true), Added(3, "<unk>", true)),
            ["normalizer"] = new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = "▁" },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["String"] = " " }, ["behavior"] = "MergedWithPrevious", ["invert"] = false },
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = "<bos>", ["type_id"] = 0 } },
                                           new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } }),
                ["special_tokens"] = new JsonObject { ["<bos>"] = new JsonObject { ["id"] = "<bos>", ["ids"] = new JsonArray(2), ["tokens"] = new JsonArray("<bos>") } },
            },
            ["decoder"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["decoders"] = new JsonArray(
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = "▁" }, ["content"] = " " },
                    new JsonObject { ["type"] = "ByteFallback" },
                    new JsonObject { ["type"] = "Fuse" }),
            },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["unk_token"] = "<unk>",
                ["fuse_unk"] = true,
                ["byte_fallback"] = true,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(new JsonArray("▁", "a"), new JsonArray("a", "b"), new JsonArray("▁a", "b"), new JsonArray("ab", "c")),
            },
        };
    }

    static JsonObject Added(int id, string content, bool special) => new()
    {
        ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = special,
    };

    /// <summary>Writes a folder with tokenizer.json and the optional extra files given.</summary>
    public static string Write(TempDir dir, JsonObject tokenizer, params (string File, string Content)[] extra)
    {
        File.WriteAllText(dir.File("tokenizer.json"), tokenizer.ToJsonString());
        foreach (var (file, content) in extra)
            File.WriteAllText(dir.File(file), content);
        return dir.Path;
    }

    static char[] ByteAlphabet()
    {
        var map = new char[256];
        var n = 0;
        for (var b = 0; b < 256; b++)
            map[b] = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF ? (char)b : (char)(256 + n++);
        return map;
    }
}
