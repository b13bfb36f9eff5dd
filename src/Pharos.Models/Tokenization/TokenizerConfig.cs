// The settings around tokenizer.json: special tokens, add_bos/add_eos, chat templates and generation eos ids.
using System.Text.Json;

namespace Pharos.Models.Tokenization;

/// <summary>
/// Read from tokenizer_config.json, then special_tokens_map.json (fills tokens the config lacks), chat_template.jinja or
/// chat_template.json (newer transformers save the template there) and generation_config.json (eos ids, often several).
/// Every file is optional.
/// </summary>
internal sealed class TokenizerConfig
{
    static readonly string[] SpecialTokenFields = ["bos_token", "eos_token", "unk_token", "pad_token", "sep_token", "cls_token", "mask_token"];

    /// <summary>bos_token, eos_token, … by field name, as strings.</summary>
    public Dictionary<string, string> SpecialTokens { get; } = new(StringComparer.Ordinal);
    public List<string> AdditionalSpecialTokens { get; } = new();
    public bool? AddBosToken { get; private set; }
    public bool? AddEosToken { get; private set; }
    public string? ChatTemplate { get; private set; }
    public Dictionary<string, string> NamedChatTemplates { get; } = new(StringComparer.Ordinal);
    public List<int> GenerationEosIds { get; } = new();
    public string? TokenizerClass { get; private set; }
    public string? ModelType { get; private set; }

    public static TokenizerConfig Load(string folder)
    {
        var config = new TokenizerConfig();
        if (Read(Path.Combine(folder, "tokenizer_config.json")) is { } tc)
        {
            config.ReadSpecialTokens(tc);
            config.AddBosToken = tc.Optional("add_bos_token")?.Bool();
            config.AddEosToken = tc.Optional("add_eos_token")?.Bool();
            config.TokenizerClass = tc.OptionalString("tokenizer_class");
            if (tc.Optional("chat_template") is { } template)
                config.ReadChatTemplate(template);
        }
        if (Read(Path.Combine(folder, "special_tokens_map.json")) is { } map)
            config.ReadSpecialTokens(map);

        var jinja = Path.Combine(folder, "chat_template.jinja");
        if (File.Exists(jinja))
            config.ChatTemplate = File.ReadAllText(jinja);
        else if (Read(Path.Combine(folder, "chat_template.json")) is { } ct && ct.Optional("chat_template") is { } t)
            config.ReadChatTemplate(t);

        if (Read(Path.Combine(folder, "generation_config.json")) is { } gen && gen.Optional("eos_token_id") is { } eos)
            config.GenerationEosIds.AddRange(eos.Kind == JsonValueKind.Array ? eos.Items().Select(i => i.Int()) : [eos.Int()]);
        if (Read(Path.Combine(folder, "config.json")) is { } model)
            config.ModelType = model.OptionalString("model_type");
        return config;
    }

    static JsonField? Read(string path)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            return new JsonField(path, "", doc.RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw new InvalidTokenizerException($"{Path.GetFileName(path)}: not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
    }

    void ReadSpecialTokens(JsonField f)
    {
        foreach (var name in SpecialTokenFields)
            if (!SpecialTokens.ContainsKey(name) && f.Optional(name) is { } value && TokenText(value) is { } text)
                SpecialTokens[name] = text;
        if (AdditionalSpecialTokens.Count == 0 && f.Optional("additional_special_tokens") is { Kind: JsonValueKind.Array } extra)
            foreach (var item in extra.Items())
                if (TokenText(item) is { } text)
                    AdditionalSpecialTokens.Add(text);
    }

    /// <summary>A token is written as a string or as an AddedToken object with "content".</summary>
    static string? TokenText(JsonField f) => f.Kind switch
    {
        JsonValueKind.String => f.String(),
        JsonValueKind.Object => f.Required("content").String(),
        JsonValueKind.Null => null,
        _ => throw f.Error("expected a string or an object with \"content\""),
    };

    /// <summary>A single template, or a list of {name, template} of which "default" is the chat template.</summary>
    void ReadChatTemplate(JsonField f)
    {
        if (f.Kind == JsonValueKind.String)
        {
            ChatTemplate = f.String();
            return;
        }
        foreach (var item in f.Items())
            NamedChatTemplates[item.Required("name").String()] = item.Required("template").String();
        ChatTemplate = NamedChatTemplates.GetValueOrDefault("default");
    }
}
