// Encodes and decodes with a byte-level BPE tokenizer.json such as `pharos tokenizer train` writes (specials cut out first,
// GPT-2 pre-tokenization, merges by rank); renders ChatML conversations. HF tokenizers of other kinds go through HfTokenizer.
using System.Text;
using System.Text.Json.Nodes;
using Pharos.Models.Errors;
using Pharos.Training.Datasets;

namespace Pharos.Training.Tokenizer;

public sealed class ByteLevelBpeTokenizer : ITextTokenizer
{
    readonly Dictionary<string, int> vocab;
    readonly string[] byId;
    readonly Dictionary<(string, string), int> ranks = new();
    readonly List<(string Content, int Id)> specials;
    readonly HashSet<int> specialIds;
    readonly Dictionary<string, int[]> cache = new(StringComparer.Ordinal);

    ByteLevelBpeTokenizer(Dictionary<string, int> vocab, List<(string, string)> merges, List<(string, int)> specials, int eos, int pad)
    {
        this.vocab = vocab;
        this.specials = specials.OrderByDescending(s => s.Item1.Length).ToList();
        specialIds = specials.Select(s => s.Item2).ToHashSet();
        foreach (var (content, id) in specials) vocab[content] = id;
        byId = new string[vocab.Values.Max() + 1];
        foreach (var (token, id) in vocab) byId[id] = token;
        for (int i = 0; i < merges.Count; i++) ranks.TryAdd(merges[i], i);
        EosId = eos;
        PadId = pad;
    }

    public int VocabSize => byId.Length;
    public int? BosId => null;
    public int EosId { get; }
    public int PadId { get; }
    public int? IdOf(string token) => vocab.TryGetValue(token, out var id) ? id : null;

    public static ByteLevelBpeTokenizer Load(string folder)
    {
        var path = Path.Combine(folder, "tokenizer.json");
        if (!File.Exists(path)) throw new PharosException($"{path}: missing");
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var model = root["model"]!.AsObject();
        if ((string?)model["type"] != "BPE" || root["pre_tokenizer"]?["type"]?.GetValue<string>() != "ByteLevel")
            throw new PharosException($"{path}: not a byte-level BPE tokenizer");
        var vocab = model["vocab"]!.AsObject().ToDictionary(kv => kv.Key, kv => (int)kv.Value!, StringComparer.Ordinal);
        var merges = model["merges"]!.AsArray().Select(m => m is JsonArray a ? ((string)a[0]!, (string)a[1]!)
            : ((string)m!).Split(' ') is [var l, var r] ? (l, r) : throw new PharosException($"{path}: bad merge '{m}'")).ToList();
        var specials = (root["added_tokens"] as JsonArray ?? []).Select(t => ((string)t!["content"]!, (int)t["id"]!)).ToList();
        var configPath = Path.Combine(folder, "tokenizer_config.json");
        var config = File.Exists(configPath) ? JsonNode.Parse(File.ReadAllText(configPath))!.AsObject() : new JsonObject();
        int Id(string field, int fallback) => config[field] is JsonValue v && v.TryGetValue<string>(out var s)
            && specials.FirstOrDefault(x => x.Item1 == s) is var hit && hit.Item1 is not null ? hit.Item2 : fallback;
        int first = specials.Count > 0 ? specials[0].Item2 : 0;
        // CPT documents end with <|endoftext|> when there is one; chat turns end with the template's own end token.
        int eos = specials.FirstOrDefault(x => x.Item1 == TokenizerFiles.EndOfText) is var eot && eot.Item1 is not null ? eot.Item2 : Id("eos_token", first);
        return new ByteLevelBpeTokenizer(vocab, merges, specials, eos, Id("pad_token", eos));
    }

    public int[] Encode(string text)
    {
        var ids = new List<int>();
        int pos = 0;
        while (pos < text.Length)
        {
            int next = text.Length, which = -1;
            for (int s = 0; s < specials.Count; s++)
            {
                int at = text.IndexOf(specials[s].Content, pos, StringComparison.Ordinal);
                if (at >= 0 && at < next) { next = at; which = s; }
            }
            EncodeOrdinary(text[pos..next], ids);
            if (which < 0) break;
            ids.Add(specials[which].Id);
            pos = next + specials[which].Content.Length;
        }
        return [.. ids];
    }

    void EncodeOrdinary(string text, List<int> ids)
    {
        foreach (var word in ByteLevel.PreTokenize(text))
        {
            if (!cache.TryGetValue(word, out var pieces))
            {
                pieces = Bpe(word);
                if (cache.Count < 100_000) cache[word] = pieces;
            }
            ids.AddRange(pieces);
        }
    }

    int[] Bpe(string word)
    {
        var parts = word.Select(c => c.ToString()).ToList();
        while (parts.Count > 1)
        {
            int bestRank = int.MaxValue, at = -1;
            for (int i = 0; i + 1 < parts.Count; i++)
                if (ranks.TryGetValue((parts[i], parts[i + 1]), out var r) && r < bestRank) { bestRank = r; at = i; }
            if (at < 0) break;
            var (left, right) = (parts[at], parts[at + 1]);
            var merged = new List<string>(parts.Count);
            for (int i = 0; i < parts.Count; i++)
            {
                if (i + 1 < parts.Count && parts[i] == left && parts[i + 1] == right) { merged.Add(left + right); i++; }
                else merged.Add(parts[i]);
            }
            parts = merged;
        }
        return parts.Select(p => vocab.TryGetValue(p, out var id) ? id : throw new PharosException($"token '{p}' is not in the vocabulary")).ToArray();
    }

    public string Decode(IReadOnlyList<int> ids)
    {
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (id < 0 || id >= byId.Length || byId[id] is null) continue;
            if (specialIds.Contains(id)) bytes.AddRange(Encoding.UTF8.GetBytes(byId[id]));
            else ByteLevel.DecodeInto(byId[id], bytes);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    public string RenderChat(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt)
    {
        if (!vocab.ContainsKey(TokenizerFiles.ImStart) || !vocab.ContainsKey(TokenizerFiles.ImEnd))
            throw new PharosException("this tokenizer has no <|im_start|>/<|im_end|> tokens, so no ChatML chat template");
        var sb = new StringBuilder();
        foreach (var m in messages)
            sb.Append(TokenizerFiles.ImStart).Append(m.Role).Append('\n').Append(m.Content).Append(TokenizerFiles.ImEnd).Append('\n');
        if (addGenerationPrompt) sb.Append(TokenizerFiles.ImStart).Append("assistant\n");
        return sb.ToString();
    }
}
