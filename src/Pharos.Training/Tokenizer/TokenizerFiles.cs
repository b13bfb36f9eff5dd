// Writes a trained byte-level BPE as a Hugging Face tokenizer folder: tokenizer.json (model BPE, ByteLevel pre-tokenizer
using Pharos.IO;
// and decoder, specials as added_tokens) and tokenizer_config.json (special tokens and a ChatML chat template).
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Models.Loading;

namespace Pharos.Training.Tokenizer;

public static class TokenizerFiles
{
    public const string EndOfText = "<|endoftext|>";
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";
    public static readonly IReadOnlyList<string> DefaultSpecials = [EndOfText, ImStart, ImEnd];

    /// <summary>ChatML, as Qwen2 uses it (without a default system prompt).</summary>
    public const string ChatMlTemplate =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    public static void Write(BpeVocabulary vocab, string folder)
    {
        Directory.CreateDirectory(folder);
        var added = new JsonArray();
        var vocabJson = new JsonObject();
        for (int i = 0; i < vocab.Specials.Count; i++)
        {
            added.Add(new JsonObject
            {
                ["id"] = i, ["content"] = vocab.Specials[i], ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            });
            vocabJson[vocab.Specials[i]] = i;
        }
        for (int i = 0; i < vocab.Tokens.Count; i++) vocabJson[vocab.Tokens[i]] = vocab.Specials.Count + i;
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true };
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel.DeepClone(),
            ["post_processor"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = true },
            ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null, ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false,
                ["vocab"] = vocabJson,
                ["merges"] = new JsonArray(vocab.Merges.Select(m => (JsonNode)new JsonArray(m.Left, m.Right)).ToArray()),
            },
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "tokenizer.json"), root.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) + "\n");
        bool chatMl = vocab.Specials.Contains(ImStart) && vocab.Specials.Contains(ImEnd);
        var config = new JsonObject
        {
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
            ["bos_token"] = null,
            ["eos_token"] = chatMl ? ImEnd : vocab.Specials.FirstOrDefault(),
            ["pad_token"] = vocab.Specials.FirstOrDefault(),
            ["unk_token"] = null,
            ["model_max_length"] = 1_000_000,
            ["clean_up_tokenization_spaces"] = false,
        };
        if (chatMl) config["chat_template"] = ChatMlTemplate;
        AtomicFile.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
