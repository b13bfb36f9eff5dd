// A COMET checkpoint's hparams.yaml: the model class and the head's settings, read strictly (errors name the file and key).
using Pharos.Models.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pharos.Eval.Comet;

public sealed record CometHparams(
    string ClassIdentifier,
    string EncoderModel,
    string PretrainedModel,
    string Pool,
    int? Layer,
    string LayerTransformation,
    bool LayerNorm,
    IReadOnlyList<int> HiddenSizes,
    string Activations,
    string? FinalActivation,
    IReadOnlyList<string> InputSegments,
    bool WordLevelTraining)
{
    public const string RegressionMetric = "regression_metric";
    public const string ReferencelessRegressionMetric = "referenceless_regression_metric";
    public const string UnifiedMetric = "unified_metric";

    public static CometHparams Read(string path)
    {
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(path);
            stream.Load(reader);
            root = stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode m
                ? m
                : throw new InvalidModelException($"{path}: expected one mapping of hyper-parameters");
        }
        catch (YamlException e)
        {
            throw new InvalidModelException($"{path}:{e.Start.Line}: not valid YAML: {e.Message}", e);
        }
        var fields = root.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value ?? "", kv => kv.Value);

        string Text(string key, string? fallback = null)
        {
            if (fields.TryGetValue(key, out var node) && node is YamlScalarNode { Value: { } v } && !IsNull(node)) return v;
            return fallback ?? throw new InvalidModelException($"{path}: '{key}' is missing");
        }
        string? OptionalText(string key) =>
            fields.TryGetValue(key, out var node) && node is YamlScalarNode { Value: { } v } && !IsNull(node) ? v : null;
        bool Flag(string key, bool fallback)
        {
            var v = OptionalText(key);
            if (v is null) return fallback;
            return v.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => throw new InvalidModelException($"{path}: '{key}' must be true or false, not '{v}'"),
            };
        }
        List<string> Strings(string key, List<string> fallback)
        {
            if (!fields.TryGetValue(key, out var node) || IsNull(node)) return fallback;
            if (node is not YamlSequenceNode seq)
                throw new InvalidModelException($"{path}: '{key}' must be a list");
            return seq.Children.Select(c => c is YamlScalarNode { Value: { } s } ? s : throw new InvalidModelException($"{path}: '{key}' must be a list of values")).ToList();
        }

        var identifier = Text("class_identifier");
        var unified = identifier == UnifiedMetric;
        var layerText = unified ? OptionalText("sent_layer") ?? Text("layer", "mix") : Text("layer", "mix");
        int? layer = null;
        if (layerText != "mix")
            layer = int.TryParse(layerText, out int l) ? l : throw new InvalidModelException($"{path}: 'layer' must be 'mix' or a layer number, not '{layerText}'");
        var hidden = Strings("hidden_sizes", ["3072", "1024"])
            .Select(s => int.TryParse(s, out int h) && h > 0 ? h : throw new InvalidModelException($"{path}: 'hidden_sizes' must hold positive integers, not '{s}'"))
            .ToList();
        return new CometHparams(
            identifier,
            Text("encoder_model", "XLM-RoBERTa"),
            Text("pretrained_model", "xlm-roberta-large"),
            Text("pool", "avg"),
            layer,
            Text("layer_transformation", unified ? "sparsemax" : "softmax"),
            Flag("layer_norm", true),
            hidden,
            Text("activations", "Tanh"),
            OptionalText("final_activation"),
            Strings("input_segments", ["mt", "src", "ref"]),
            Flag("word_level_training", false));
    }

    static bool IsNull(YamlNode node) =>
        node is YamlScalarNode s && s.Style == YamlDotNet.Core.ScalarStyle.Plain && s.Value is "null" or "~" or "" or null;
}
