// A Hugging Face tokenizer folder (tokenizer.json + tokenizer_config.json): encode, decode, stream-decode and chat templates.
using System.Text.Json;

namespace Pharos.Models.Tokenization;

/// <summary>
/// Encoding follows tokenizers' pipeline: added tokens are cut out first (those with normalized=false on the raw text,
/// the others after normalization), each remaining segment is normalized, pre-tokenized and run through the model, and
/// the post-processor adds the special ids around the result. Decoding maps ids to tokens (special added tokens dropped
/// when asked) and runs the decoder chain. Instances are immutable and safe to share between threads.
/// </summary>
public sealed class HfTokenizer
{
    readonly TextNormalizer _normalizer;
    readonly PreTokenizer? _preTokenizer;
    readonly TokenModel _model;
    readonly TokenDecoder _decoder;
    readonly PostProcessor _postProcessor;
    readonly AddedTokenMatcher _rawAdded;
    readonly AddedTokenMatcher _normalizedAdded;
    readonly Dictionary<int, AddedToken> _addedById = new();
    readonly Dictionary<string, AddedToken> _addedByContent = new(StringComparer.Ordinal);
    readonly TokenizerConfig _config;
    readonly Lazy<ChatTemplate> _chatTemplate;

    HfTokenizer(JsonField root, TokenizerConfig config)
    {
        _config = config;
        _normalizer = TextNormalizer.From(root.Optional("normalizer"));
        var preField = root.Optional("pre_tokenizer");
        _preTokenizer = PreTokenizer.From(preField);
        var byteLevel = preField is { } p && p.Element.GetRawText().Contains("\"ByteLevel\"", StringComparison.Ordinal);
        _model = TokenModel.From(root.Required("model"), byteLevel);
        _decoder = TokenDecoder.From(root.Optional("decoder"));
        _postProcessor = PostProcessor.From(root.Optional("post_processor"));

        if (root.Optional("added_tokens") is { } added)
            foreach (var a in added.Items())
            {
                var token = new AddedToken(a.Required("id").Int(), a.Required("content").String(), a.OptionalBool("special", false),
                    a.OptionalBool("single_word", false), a.OptionalBool("lstrip", false), a.OptionalBool("rstrip", false),
                    a.OptionalBool("normalized", !a.OptionalBool("special", false)));
                _addedById[token.Id] = token;
                _addedByContent[token.Content] = token;
            }
        _rawAdded = new AddedTokenMatcher(_addedById.Values.Where(t => !t.Normalized));
        _normalizedAdded = new AddedTokenMatcher(_addedById.Values.Where(t => t.Normalized));

        BosId = IdOf(config.SpecialTokens.GetValueOrDefault("bos_token"));
        EosId = IdOf(config.SpecialTokens.GetValueOrDefault("eos_token"));
        PadId = IdOf(config.SpecialTokens.GetValueOrDefault("pad_token"));
        var eos = new List<int>();
        if (EosId is { } e)
            eos.Add(e);
        eos.AddRange(config.GenerationEosIds.Where(id => !eos.Contains(id)));
        EosIds = eos;
        VocabSize = Math.Max(_model.VocabSize, _addedById.Count == 0 ? 0 : _addedById.Keys.Max() + 1);
        (Prefix, Suffix) = SpecialIds();
        ChatTemplate = config.ChatTemplate;
        _chatTemplate = new Lazy<ChatTemplate>(() => new ChatTemplate(ChatTemplate ?? KnownChatTemplates.For(this, _config)));
    }

    /// <summary>Loads tokenizer.json (required) and tokenizer_config.json, special_tokens_map.json, chat_template.jinja, generation_config.json (optional) from a model folder.</summary>
    public static HfTokenizer Load(string modelFolder)
    {
        var path = Path.Combine(modelFolder, "tokenizer.json");
        if (!File.Exists(path))
            throw new InvalidTokenizerException($"tokenizer.json: not found in '{modelFolder}' (Pharos reads the fast-tokenizer file that transformers saves)");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new InvalidTokenizerException($"tokenizer.json: not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
        using (doc)
            return new HfTokenizer(new JsonField(path, "", doc.RootElement), TokenizerConfig.Load(modelFolder));
    }

    /// <summary>Model vocabulary plus added tokens: one more than the highest id.</summary>
    public int VocabSize { get; }
    public int? BosId { get; }
    public int? EosId { get; }
    public int? PadId { get; }
    /// <summary>Every id that ends generation: the tokenizer's eos and generation_config.json's eos_token_id list.</summary>
    public IReadOnlyList<int> EosIds { get; }
    /// <summary>The folder's chat template; null when it has none (ApplyChatTemplate then uses the family's known one).</summary>
    public string? ChatTemplate { get; }

    internal int[] Prefix { get; }
    internal int[] Suffix { get; }
    internal TokenizerConfig Config => _config;

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        if (addSpecialTokens)
            ids.AddRange(Prefix);
        var segments = new List<(string Text, AddedToken? Token)>();
        _rawAdded.Split(text, segments);
        var subSegments = new List<(string Text, AddedToken? Token)>();
        var pieces = new List<string>();
        for (var s = 0; s < segments.Count; s++)
        {
            var (segment, token) = segments[s];
            if (token is not null)
            {
                ids.Add(token.Id);
                continue;
            }
            subSegments.Clear();
            _normalizedAdded.Split(_normalizer.Normalize(segment), subSegments);
            foreach (var (sub, subToken) in subSegments)
            {
                if (subToken is not null)
                {
                    ids.Add(subToken.Id);
                    continue;
                }
                pieces.Clear();
                pieces.Add(sub);
                _preTokenizer?.Apply(pieces, firstSegment: s == 0);
                foreach (var piece in pieces)
                    if (piece.Length > 0)
                        _model.Encode(piece, ids);
            }
        }
        if (addSpecialTokens)
            ids.AddRange(Suffix);
        return ids;
    }

    public IReadOnlyList<IReadOnlyList<int>> EncodeBatch(IEnumerable<string> texts, bool addSpecialTokens = true)
    {
        var list = texts as IReadOnlyList<string> ?? texts.ToList();
        var result = new IReadOnlyList<int>[list.Count];
        Parallel.For(0, list.Count, i => result[i] = Encode(list[i], addSpecialTokens));
        return result;
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        var tokens = new List<string>();
        foreach (var id in ids)
            if (TokenFor(id, skipSpecialTokens) is { } token)
                tokens.Add(token);
        return tokens.Count == 0 ? "" : _decoder.Decode(tokens);
    }

    public IncrementalDecoder CreateIncrementalDecoder(bool skipSpecialTokens = true) => new(this, skipSpecialTokens);

    /// <summary>Renders the chat template (the folder's, else the family's known one) as transformers' apply_chat_template(tokenize=False) does.</summary>
    public string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? extra = null) =>
        _chatTemplate.Value.Render(messages, addGenerationPrompt, SpecialTokenVariables(), extra);

    /// <summary>The id of a token string (added tokens first, then the model vocabulary).</summary>
    public int? TokenToId(string token) => _addedByContent.TryGetValue(token, out var a) ? a.Id : _model.TokenToId(token);

    /// <summary>The token string of an id, or null when no token has it.</summary>
    public string? IdToToken(int id) => _addedById.TryGetValue(id, out var a) ? a.Content : _model.IdToToken(id);

    /// <summary>True for added tokens marked special in tokenizer.json (skipped by Decode when asked).</summary>
    public bool IsSpecial(int id) => _addedById.TryGetValue(id, out var a) && a.Special;

    string? TokenFor(int id, bool skipSpecial)
    {
        if (_addedById.TryGetValue(id, out var added))
            return skipSpecial && added.Special ? null : added.Content;
        return _model.IdToToken(id);
    }

    int? IdOf(string? token) => token is null ? null : TokenToId(token);

    /// <summary>The post-processor's ids, with tokenizer_config.json's add_bos_token/add_eos_token applied on top as transformers does.</summary>
    (int[] Prefix, int[] Suffix) SpecialIds()
    {
        var prefix = _postProcessor.Prefix.ToList();
        var suffix = _postProcessor.Suffix.ToList();
        if (_config.AddBosToken is { } addBos && BosId is { } bos)
        {
            if (addBos && (prefix.Count == 0 || prefix[0] != bos))
                prefix.Insert(0, bos);
            else if (!addBos && prefix.Count > 0 && prefix[0] == bos)
                prefix.RemoveAt(0);
        }
        if (_config.AddEosToken is { } addEos && EosId is { } eos)
        {
            if (addEos && (suffix.Count == 0 || suffix[^1] != eos))
                suffix.Add(eos);
            else if (!addEos && suffix.Count > 0 && suffix[^1] == eos)
                suffix.RemoveAt(suffix.Count - 1);
        }
        return (prefix.ToArray(), suffix.ToArray());
    }

    Dictionary<string, object?> SpecialTokenVariables()
    {
        var vars = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in _config.SpecialTokens)
            vars[name] = value;
        if (_config.AdditionalSpecialTokens.Count > 0)
            vars["additional_special_tokens"] = _config.AdditionalSpecialTokens.Cast<object?>().ToList();
        return vars;
    }
}
