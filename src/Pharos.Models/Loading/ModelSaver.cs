// Saves a CausalLM as a Hugging Face folder: config.json (the original fields, dtype updated) and safetensors under HF names.
using Pharos.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Models.Safetensors;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Models.Loading;

public static class ModelSaver
{
    public static void Save(CausalLM model, string folder, long maxShardBytes = 5_000_000_000)
    {
        Directory.CreateDirectory(folder);
        var config = (JsonObject)model.Config.Raw.DeepClone();
        config["dtype"] = DTypes.ToConfigName(model.DType);
        config.Remove("torch_dtype");
        AtomicFile.WriteAllText(Path.Combine(folder, "config.json"),
            config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        var tensors = model.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter.detach()));
        SafetensorsWriter.WriteCheckpoint(folder, tensors, maxShardBytes, new Dictionary<string, string> { ["format"] = "pt" });
    }
}
