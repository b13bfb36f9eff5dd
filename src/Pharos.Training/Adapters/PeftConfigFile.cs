// adapter_config.json as PEFT reads and writes it, to and from LoraOptions. A field that would change what the adapter
// computes and that Pharos does not implement is refused with one line naming it, never silently ignored.
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Models.Errors;
using Pharos.IO;

namespace Pharos.Training.Adapters;

public static class PeftConfigFile
{
    public const string FileName = "adapter_config.json";

    /// <summary>LoraConfig fields that change the computation when set; Pharos accepts only their defaults (null, false, empty).</summary>
    static readonly string[] UnsupportedWhenSet =
    [
        "rank_pattern", "alpha_pattern", "lora_bias", "fan_in_fan_out", "layers_to_transform", "layers_pattern",
        "exclude_modules", "target_parameters", "trainable_token_indices", "use_qalora", "use_bdlora",
        "alora_invocation_tokens", "layer_replication", "arrow_config",
    ];

    public static void Write(string folder, LoraOptions options, string? baseModel)
    {
        var config = new JsonObject
        {
            ["peft_type"] = "LORA",
            ["task_type"] = "CAUSAL_LM",
            ["base_model_name_or_path"] = baseModel,
            ["r"] = options.Rank,
            ["lora_alpha"] = options.Alpha,
            ["lora_dropout"] = options.Dropout,
            ["target_modules"] = options.TargetModules.ToJson(),
            ["use_rslora"] = options.UseRsLora,
            ["use_dora"] = options.UseDora,
            ["modules_to_save"] = options.ModulesToSave.Count == 0 ? null
                : new JsonArray(options.ModulesToSave.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["inference_mode"] = true,
            ["init_lora_weights"] = true,
            ["rank_pattern"] = new JsonObject(),
            ["alpha_pattern"] = new JsonObject(),
        };
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    public static LoraOptions Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new PharosException($"{path}: missing (a PEFT adapter folder needs adapter_config.json)");
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new PharosException($"{path}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new PharosException($"{path}: invalid JSON ({e.Message})");
        }
        if ((string?)json["peft_type"] != "LORA") throw new PharosException($"{path}: peft_type '{json["peft_type"]}' is not LORA");
        foreach (var field in UnsupportedWhenSet)
            if (IsSet(json[field]))
                throw new PharosException($"{path}: {field} = {json[field]!.ToJsonString()} is not supported (Pharos computes LoRA, rsLoRA and DoRA on Linear modules)");
        if (json["bias"] is JsonValue b && (string?)b != "none") throw new PharosException($"{path}: bias '{b}' is not supported (only \"none\")");
        return new LoraOptions
        {
            Rank = PositiveInteger(json, "r", path),
            Alpha = Number(json, "lora_alpha", path),
            Dropout = json["lora_dropout"] is JsonValue d ? (double)d : 0,
            TargetModules = TargetModules.FromJson(json["target_modules"], path),
            UseRsLora = Flag(json, "use_rslora", path),
            UseDora = Flag(json, "use_dora", path),
            ModulesToSave = json["modules_to_save"] switch
            {
                null => [],
                JsonArray a => a.Select(m => (string?)m ?? throw new PharosException($"{path}: modules_to_save entries must be strings")).ToList(),
                var other => throw new PharosException($"{path}: modules_to_save must be a list of module names (got {other.ToJsonString()})"),
            },
        };
    }

    static bool IsSet(JsonNode? node) => node switch
    {
        null => false,
        JsonArray a => a.Count > 0,
        JsonObject o => o.Count > 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.False or JsonValueKind.Null => false,
            JsonValueKind.String => ((string)v!).Length > 0,
            _ => true,
        },
        _ => true,
    };

    static int PositiveInteger(JsonObject json, string field, string path)
    {
        double value = Number(json, field, path);
        return value > 0 && value == Math.Floor(value) && value <= int.MaxValue ? (int)value
            : throw new PharosException($"{path}: {field} must be a positive integer (got {value})");
    }

    static double Number(JsonObject json, string field, string path) =>
        json[field] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? (double)v : throw new PharosException($"{path}: {field} must be a number");

    static bool Flag(JsonObject json, string field, string path) => json[field] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => (bool)v,
        JsonValue v when v.GetValueKind() == JsonValueKind.Null => false,
        var other => throw new PharosException($"{path}: {field} must be true or false (got {other.ToJsonString()})"),
    };
}
