// The model stage of a tokenizer: turns one pre-tokenized piece into ids, and maps ids back to token strings.
namespace Pharos.Models.Tokenization;

internal abstract class TokenModel
{
    /// <summary>Appends the ids of <paramref name="piece"/> (normalized, pre-tokenized text) to <paramref name="ids"/>.</summary>
    public abstract void Encode(string piece, List<int> ids);

    public abstract string? IdToToken(int id);

    public abstract int? TokenToId(string token);

    /// <summary>Number of entries in the model's own vocabulary (added tokens not counted).</summary>
    public abstract int VocabSize { get; }

    /// <summary>Builds the model from tokenizer.json's "model"; <paramref name="byteLevel"/> when the pre-tokenizer maps bytes (GPT-2 style).</summary>
    public static TokenModel From(JsonField model, bool byteLevel)
    {
        var type = model.Optional("type")?.String() ?? (model.Optional("merges") is not null ? "BPE" : "?");
        if (type != "BPE")
            throw model.Required("type").Error($"model type '{type}' is not supported (only BPE: GPT-2, Llama-3, Qwen2/3, Gemma, Mistral style)");
        var data = BpeData.Read(model);
        return byteLevel && !data.ByteFallback ? new ByteLevelBpeModel(data) : new BpeModel(data);
    }
}
