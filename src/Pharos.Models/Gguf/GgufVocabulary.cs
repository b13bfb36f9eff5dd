// A Hugging Face tokenizer folder as llama.cpp's tokenizer.ggml.* keys. Byte-level BPE (GPT-2, Llama 3, Qwen2) becomes
// model "gpt2" with its merges and a pre-tokenizer name llama.cpp knows; SentencePiece-style BPE (byte_fallback, "▁" for
// spaces: Llama 2, Gemma, stories260K) becomes model "llama" with sentencepiece's scores (by place in the vocabulary). The token list is padded to the model's vocab_size
// with unused "[PADn]" tokens, as convert_hf_to_gguf.py pads it. The chat template goes in tokenizer.chat_template.
using System.Text.Json;
using Pharos.Models.Config;
using Pharos.Models.Errors;
using Pharos.Models.Tokenization;

namespace Pharos.Models.Gguf;

public static class GgufVocabulary
{
    /// <summary>llama.cpp's token types (llama_token_type).</summary>
    enum TokenType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 }

    /// <summary>Split patterns of the byte-level BPE families llama.cpp names in tokenizer.ggml.pre.</summary>
    static readonly Dictionary<string, string> PreTokenizers = new(StringComparer.Ordinal)
    {
        [@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"] = "gpt-2",
        [@"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"] = "llama-bpe",
        [@"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"] = "qwen2",
    };

    const string GptPattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static void Add(GgufMetadata m, string folder, ModelConfig config)
    {
        var path = Path.Combine(folder, "tokenizer.json");
        if (!File.Exists(path)) throw new PharosException($"{folder}: no tokenizer.json (a GGUF file carries the tokenizer; llama.cpp cannot load a model without one)");
        var tokenizer = HfTokenizer.Load(folder);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 256 });
        var root = doc.RootElement;
        var model = root.GetProperty("model");
        if (model.TryGetProperty("type", out var type) && type.GetString() != "BPE")
            throw new PharosException($"{path}: model.type '{type.GetString()}' has no GGUF export (BPE tokenizers do)");
        var vocab = model.GetProperty("vocab").EnumerateObject().ToDictionary(p => p.Value.GetInt32(), p => p.Name);
        var added = root.TryGetProperty("added_tokens", out var a)
            ? a.EnumerateArray().ToDictionary(t => t.GetProperty("id").GetInt32(), t => (Content: t.GetProperty("content").GetString()!, Special: t.GetProperty("special").GetBoolean()))
            : [];
        var merges = Merges(model, path);
        int size = Math.Max(config.VocabSize, tokenizer.VocabSize);
        if (tokenizer.VocabSize > config.VocabSize)
            throw new PharosException($"{path}: the tokenizer has {tokenizer.VocabSize} ids but config.json's vocab_size is {config.VocabSize}");

        bool byteLevel = Contains(root, "pre_tokenizer", "ByteLevel") || Contains(root, "decoder", "ByteLevel");
        int? unknown = UnknownId(tokenizer, model, folder);
        var tokens = new string[size];
        var types = new int[size];
        for (int id = 0; id < size; id++)
        {
            if (added.TryGetValue(id, out var t))
            {
                tokens[id] = t.Content;
                types[id] = (int)(id == unknown && !byteLevel ? TokenType.Unknown
                    : t.Special || LooksLikeControl(t.Content) ? TokenType.Control : TokenType.UserDefined);
            }
            else if (vocab.TryGetValue(id, out var text))
            {
                tokens[id] = text;
                types[id] = (int)(!byteLevel && id == unknown ? TokenType.Unknown
                    : !byteLevel && IsByteToken(text) ? TokenType.Byte : TokenType.Normal);
            }
            else
            {
                tokens[id] = $"[PAD{id}]";
                types[id] = (int)TokenType.Unused;
            }
        }

        if (byteLevel)
        {
            m.String("tokenizer.ggml.model", "gpt2");
            m.String("tokenizer.ggml.pre", PreTokenizer(root, path));
            m.Strings("tokenizer.ggml.tokens", tokens);
            m.Int32s("tokenizer.ggml.token_type", types);
            m.Strings("tokenizer.ggml.merges", merges.Select(p => p.Left + " " + p.Right).ToList());
        }
        else
        {
            if (!(model.TryGetProperty("byte_fallback", out var fallback) && fallback.GetBoolean()))
                throw new PharosException($"{path}: a BPE tokenizer without ByteLevel or byte_fallback has no llama.cpp form");
            m.String("tokenizer.ggml.model", "llama");
            m.String("tokenizer.ggml.pre", "default");
            m.Strings("tokenizer.ggml.tokens", tokens);
            m.Float32s("tokenizer.ggml.scores", Scores(types));
            m.Int32s("tokenizer.ggml.token_type", types);
        }
        var prefix = tokenizer.Prefix;
        var suffix = tokenizer.Suffix;
        int? bos = tokenizer.BosId ?? config.BosTokenId;
        int? eos = tokenizer.EosId ?? (config.EosTokenIds.Length > 0 ? config.EosTokenIds[0] : null);
        if (bos is int b) m.UInt32("tokenizer.ggml.bos_token_id", (uint)b);
        if (eos is int e) m.UInt32("tokenizer.ggml.eos_token_id", (uint)e);
        if (unknown is int k) m.UInt32("tokenizer.ggml.unknown_token_id", (uint)k);
        if ((tokenizer.PadId ?? config.PadTokenId) is int pad) m.UInt32("tokenizer.ggml.padding_token_id", (uint)pad);
        m.Bool("tokenizer.ggml.add_bos_token", bos is int bb && prefix.Contains(bb));
        m.Bool("tokenizer.ggml.add_eos_token", eos is int ee && suffix.Contains(ee));
        m.Bool("tokenizer.ggml.add_space_prefix", byteLevel ? ByteLevelPrefixSpace(root) : AddsSpacePrefix(root));
        if (root.TryGetProperty("normalizer", out var normalizer) && Find(normalizer, "NFC") is not null)
            m.Bool("tokenizer.ggml.normalizer.nfc", true);
        if (tokenizer.ChatTemplate is { } template) m.String("tokenizer.chat_template", template);
    }

    /// <summary>The unk token of tokenizer.json's model, else of tokenizer_config.json (GPT-2 names &lt;|endoftext|&gt;).</summary>
    static int? UnknownId(HfTokenizer tokenizer, JsonElement model, string folder)
    {
        if (model.TryGetProperty("unk_token", out var u) && u.ValueKind == JsonValueKind.String) return tokenizer.TokenToId(u.GetString()!);
        var config = TokenizerConfig.Load(folder);
        return config.SpecialTokens.TryGetValue("unk_token", out var unk) ? tokenizer.TokenToId(unk) : null;
    }

    /// <summary>Added tokens that several models leave non-special but that are control tokens (&lt;|fim_prefix|&gt;,
    /// Gemma's &lt;unused0&gt;): convert_hf_to_gguf.py marks them control too, so llama.cpp does not print them.</summary>
    static bool LooksLikeControl(string content) =>
        (content.StartsWith("<|", StringComparison.Ordinal) && content.EndsWith("|>", StringComparison.Ordinal))
        || (content.StartsWith("<unused", StringComparison.Ordinal) && content.EndsWith('>'));

    static bool ByteLevelPrefixSpace(JsonElement root) =>
        Find(root.GetProperty("pre_tokenizer"), "ByteLevel") is { } b && b.TryGetProperty("add_prefix_space", out var add) && add.GetBoolean();

    static List<(string Left, string Right)> Merges(JsonElement model, string path)
    {
        if (!model.TryGetProperty("merges", out var merges)) return [];
        return merges.EnumerateArray().Select(x => x.ValueKind switch
        {
            JsonValueKind.String when x.GetString()!.Split(' ') is [var l, var r] => (l, r),
            JsonValueKind.Array when x.GetArrayLength() == 2 => (x[0].GetString()!, x[1].GetString()!),
            _ => throw new PharosException($"{path}: model.merges entry {x.GetRawText()} is not a pair"),
        }).ToList();
    }

    /// <summary>SentencePiece's scores: such vocabularies list normal pieces from the highest score down, and
    /// sentencepiece gives the piece at place k the score −k (specials and bytes 0); llama.cpp, which merges the
    /// highest-scoring pair first, then merges as sentencepiece does. (The merge list in tokenizer.json was derived from
    /// those scores; its ranks differ from them by ties only.)</summary>
    static float[] Scores(int[] types)
    {
        var scores = new float[types.Length];
        int place = 0;
        for (int id = 0; id < types.Length; id++)
            if (types[id] == (int)TokenType.Normal) scores[id] = -place++;
        return scores;
    }

    static string PreTokenizer(JsonElement root, string path)
    {
        var patterns = new List<string>();
        Collect(root.GetProperty("pre_tokenizer"), patterns);
        if (patterns.Count == 0) return PreTokenizers[GptPattern]; // ByteLevel's own regex is GPT-2's
        if (patterns.Count == 1 && PreTokenizers.TryGetValue(patterns[0], out var name)) return name;
        throw new PharosException($"{path}: pre-tokenizer pattern {string.Join(" + ", patterns)} is not one llama.cpp names (gpt-2, llama-bpe, qwen2)");
    }

    static void Collect(JsonElement node, List<string> patterns)
    {
        if (node.ValueKind != JsonValueKind.Object) return;
        var kind = node.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (kind == "Split" && node.GetProperty("pattern").TryGetProperty("Regex", out var regex)) patterns.Add(regex.GetString()!);
        if (kind == "ByteLevel" && node.TryGetProperty("use_regex", out var use) && use.GetBoolean()) patterns.Add(GptPattern);
        if (node.TryGetProperty("pretokenizers", out var children))
            foreach (var child in children.EnumerateArray()) Collect(child, patterns);
    }

    static bool AddsSpacePrefix(JsonElement root)
    {
        if (Find(root.GetProperty("pre_tokenizer"), "Metaspace") is { } meta)
            return meta.TryGetProperty("prepend_scheme", out var scheme) ? scheme.GetString() != "never"
                : !meta.TryGetProperty("add_prefix_space", out var add) || add.GetBoolean();
        return Find(root.GetProperty("normalizer"), "Prepend") is not null;
    }

    static bool Contains(JsonElement root, string property, string type) =>
        root.TryGetProperty(property, out var node) && Find(node, type) is not null;

    static JsonElement? Find(JsonElement node, string type)
    {
        if (node.ValueKind != JsonValueKind.Object) return null;
        if (node.TryGetProperty("type", out var t) && t.GetString() == type) return node;
        foreach (var list in new[] { "pretokenizers", "normalizers", "decoders" })
            if (node.TryGetProperty(list, out var children))
                foreach (var child in children.EnumerateArray())
                    if (Find(child, type) is { } found) return found;
        return null;
    }

    static bool IsByteToken(string text) => text.Length == 6 && text.StartsWith("<0x", StringComparison.Ordinal) && text[5] == '>';
}
