// The shape of an XLM-RoBERTa encoder: read from its config.json, or inferred from a checkpoint's tensor shapes.
using System.Text.Json;
using Pharos.Models.Errors;

namespace Pharos.Eval.Comet.XlmRoberta;

public sealed record XlmRobertaConfig(
    int VocabSize,
    int HiddenSize,
    int NumLayers,
    int NumHeads,
    int IntermediateSize,
    int MaxPositionEmbeddings,
    int TypeVocabSize,
    double LayerNormEps,
    int PadTokenId,
    string HiddenAct)
{
    /// <summary>Longest input COMET feeds the encoder: positions start after the padding index (RoBERTa's offset of 2).</summary>
    public int MaxPositions => MaxPositionEmbeddings - 2;

    public int HeadDim => HiddenSize / NumHeads;

    /// <summary>Reads transformers' config.json; refuses other architectures (XLM-R XL/XXL are pre-norm and differ).</summary>
    public static XlmRobertaConfig Read(string path)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidModelException($"{path}: not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }
        string modelType = root.TryGetProperty("model_type", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString()! : "xlm-roberta";
        if (modelType is "xlm-roberta-xl")
            throw new InvalidModelException($"{path}: model_type 'xlm-roberta-xl' (XLM-R XL/XXL, used by XCOMET and CometKiwi-XL) is not supported: Pharos implements the XLM-R base/large encoder");
        if (modelType is not ("xlm-roberta" or "roberta" or "bert"))
            throw new InvalidModelException($"{path}: model_type '{modelType}' is not an XLM-RoBERTa encoder");
        int Int(string name, int? fallback = null)
        {
            if (root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i)) return i;
            if (fallback is { } f && !root.TryGetProperty(name, out _)) return f;
            throw new InvalidModelException($"{path}: field '{name}' must be an integer");
        }
        double eps = root.TryGetProperty("layer_norm_eps", out var e2) && e2.ValueKind == JsonValueKind.Number ? e2.GetDouble() : 1e-5;
        string act = root.TryGetProperty("hidden_act", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "gelu";
        var config = new XlmRobertaConfig(Int("vocab_size"), Int("hidden_size"), Int("num_hidden_layers"), Int("num_attention_heads"),
            Int("intermediate_size"), Int("max_position_embeddings"), Int("type_vocab_size", 1), eps, Int("pad_token_id", 1), act);
        config.Validate(path);
        return config;
    }

    /// <summary>
    /// A COMET checkpoint without the encoder's config.json still fixes every size but the head count; XLM-R base and
    /// large (and InfoXLM) all use 64-dimensional heads, which is what is assumed.
    /// </summary>
    public static XlmRobertaConfig Infer(IReadOnlyDictionary<string, long[]> shapes, string prefix, string source)
    {
        long[] Shape(string name) => shapes.TryGetValue(prefix + name, out var s)
            ? s
            : throw new InvalidModelException($"{source}: tensor '{prefix + name}' is missing, so the encoder's shape cannot be inferred (add the encoder's config.json)");
        var words = Shape("embeddings.word_embeddings.weight");
        int layers = 0;
        while (shapes.ContainsKey($"{prefix}encoder.layer.{layers}.attention.self.query.weight")) layers++;
        int hidden = (int)words[1];
        var config = new XlmRobertaConfig((int)words[0], hidden, layers, Math.Max(1, hidden / 64),
            (int)Shape("encoder.layer.0.intermediate.dense.weight")[0], (int)Shape("embeddings.position_embeddings.weight")[0],
            (int)Shape("embeddings.token_type_embeddings.weight")[0], 1e-5, 1, "gelu");
        config.Validate(source);
        return config;
    }

    void Validate(string source)
    {
        if (NumLayers <= 0 || HiddenSize <= 0 || NumHeads <= 0 || HiddenSize % NumHeads != 0)
            throw new InvalidModelException($"{source}: hidden_size {HiddenSize} with {NumHeads} heads and {NumLayers} layers is not a valid encoder");
        if (MaxPositionEmbeddings <= PadTokenId + 2)
            throw new InvalidModelException($"{source}: max_position_embeddings {MaxPositionEmbeddings} leaves no positions");
    }
}
