// Loads a Hugging Face model folder (config.json + safetensors, single or sharded) into a CausalLM by parameter name.
// Checks every tensor before copying anything, so a bad checkpoint never yields a partial model.
using Pharos.Models.Config;
using Pharos.Models.Errors;
using Pharos.Models.Safetensors;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Models.Loading;

public static class ModelLoader
{
    public static CausalLM Load(string folder, Device? device = null, ScalarType? dtype = null)
    {
        var config = ConfigReader.ReadFolder(folder);
        using var checkpoint = OpenCheckpoint(folder);
        var model = new CausalLM(config, dtype ?? DTypes.FromConfig(config), device ?? CPU);
        try
        {
            var report = Check(model, checkpoint);
            if (!report.IsComplete)
                throw new InvalidModelException($"{folder}: checkpoint does not fit {config.Architecture}: {report.Describe()}");
            CopyWeights(model, checkpoint);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public static SafetensorsCheckpoint OpenCheckpoint(string folder)
    {
        if (!Directory.Exists(folder))
            throw new InvalidModelException($"{folder}: model folder does not exist");
        return SafetensorsCheckpoint.Open(folder);
    }

    /// <summary>Compares the model's parameter names and shapes with the checkpoint's, without reading any data.</summary>
    public static WeightReport Check(CausalLM model, SafetensorsCheckpoint checkpoint)
    {
        var missing = new List<string>();
        var mismatched = new List<ShapeMismatch>();
        var expected = new HashSet<string>();
        foreach (var (name, p) in model.named_parameters())
        {
            expected.Add(name);
            if (!checkpoint.Contains(name)) { missing.Add(name); continue; }
            var found = checkpoint.Info(name).Shape;
            if (!found.SequenceEqual(p.shape)) mismatched.Add(new ShapeMismatch(name, p.shape, found));
        }
        var unexpected = checkpoint.Names.Where(n => !expected.Contains(n) && !IsIgnorable(n, model)).Order(StringComparer.Ordinal).ToList();
        return new WeightReport(missing, unexpected, mismatched, expected.Count - missing.Count - mismatched.Count);
    }

    /// <summary>Buffers HF may save (rotary inv_freq) and a tied lm_head copy are not parameters of ours.</summary>
    static bool IsIgnorable(string name, CausalLM model) =>
        name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal)
        || (name == "lm_head.weight" && model.lm_head is null);

    static void CopyWeights(CausalLM model, SafetensorsCheckpoint checkpoint)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in model.named_parameters())
        {
            using var source = checkpoint.Load(name, p.dtype, p.device);
            p.copy_(source);
        }
    }
}
