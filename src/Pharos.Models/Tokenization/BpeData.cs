// The parsed "model" of a BPE tokenizer.json: vocabulary, merges in rank order and the options that change encoding.
namespace Pharos.Models.Tokenization;

internal sealed class BpeData
{
    public required Dictionary<string, int> Vocab { get; init; }
    /// <summary>Merges in rank order (rank = index), as (left, right) token strings.</summary>
    public required List<(string Left, string Right)> Merges { get; init; }
    public string? UnknownToken { get; init; }
    public bool FuseUnknown { get; init; }
    public bool ByteFallback { get; init; }
    public bool IgnoreMerges { get; init; }
    public string ContinuingSubwordPrefix { get; init; } = "";
    public string EndOfWordSuffix { get; init; } = "";

    public static BpeData Read(JsonField model)
    {
        var vocabField = model.Required("vocab");
        if (vocabField.Kind != System.Text.Json.JsonValueKind.Object)
            throw vocabField.Error("expected an object mapping tokens to ids");
        var vocab = new Dictionary<string, int>(vocabField.Element.GetPropertyCount(), StringComparer.Ordinal);
        foreach (var (name, value) in vocabField.Properties())
            vocab[name] = value.Int();

        var mergesField = model.Required("merges");
        if (mergesField.Kind != System.Text.Json.JsonValueKind.Array)
            throw mergesField.Error("expected an array of merges");
        var merges = new List<(string, string)>(mergesField.Element.GetArrayLength());
        foreach (var m in mergesField.Items())
        {
            // Older files write "left right"; newer ones a two-element array (tokens may then contain spaces).
            if (m.Kind == System.Text.Json.JsonValueKind.Array)
            {
                if (m.Element.GetArrayLength() != 2)
                    throw m.Error("a merge must have two parts");
                merges.Add((m.At(0).String(), m.At(1).String()));
            }
            else
            {
                var s = m.String();
                var space = s.IndexOf(' ', 1);
                if (space < 0)
                    throw m.Error($"merge '{s}' has no space between its two parts");
                merges.Add((s[..space], s[(space + 1)..]));
            }
        }

        if (model.Optional("dropout") is { Kind: System.Text.Json.JsonValueKind.Number } d && d.Element.GetDouble() > 0)
            throw d.Error("BPE dropout is a training-time option; a tokenizer for inference must not set it");

        return new BpeData
        {
            Vocab = vocab,
            Merges = merges,
            UnknownToken = model.OptionalString("unk_token"),
            FuseUnknown = model.OptionalBool("fuse_unk", false),
            ByteFallback = model.OptionalBool("byte_fallback", false),
            IgnoreMerges = model.OptionalBool("ignore_merges", false),
            ContinuingSubwordPrefix = model.OptionalString("continuing_subword_prefix") ?? "",
            EndOfWordSuffix = model.OptionalString("end_of_word_suffix") ?? "",
        };
    }
}
