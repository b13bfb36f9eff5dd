// `pharos export gguf`: a Hugging Face model folder (config.json, safetensors, tokenizer) as one GGUF file that
// llama.cpp, Ollama and LM Studio load. Weights are read from the checkpoint one tensor at a time as they are written.
using Pharos.Models.Config;
using Pharos.Models.Errors;
using Pharos.Models.Safetensors;
using static TorchSharp.torch;

namespace Pharos.Models.Gguf;

/// <param name="FileType">general.file_type: 0 all F32, 1 mostly F16, 7 mostly Q8_0, 32 mostly BF16</param>
public sealed record GgufOutputType(string Name, GgmlType Weights, uint FileType)
{
    public static readonly IReadOnlyList<GgufOutputType> All =
    [
        new("f32", GgmlType.F32, 0), new("f16", GgmlType.F16, 1), new("bf16", GgmlType.BF16, 32), new("q8_0", GgmlType.Q8_0, 7),
    ];

    public static GgufOutputType Parse(string name) => All.FirstOrDefault(t => t.Name == name.ToLowerInvariant())
        ?? throw new PharosException($"--type '{name}' is not one of {string.Join(", ", All.Select(t => t.Name))}");
}

/// <param name="FallbackTensors">tensors written as F16 because their rows do not fill Q8_0's blocks of 32</param>
public sealed record GgufExportResult(string Architecture, int Tensors, long Bytes, IReadOnlyList<string> FallbackTensors);

public static class GgufExporter
{
    public const uint QuantizationVersion = 2;

    /// <param name="vocabOnly">write the metadata and tokenizer without weights (as convert_hf_to_gguf.py --vocab-only)</param>
    public static GgufExportResult Export(string folder, string output, GgufOutputType type, bool vocabOnly = false)
    {
        var config = ConfigReader.ReadFolder(folder);
        GgufModelMap.Check(config, folder);
        string arch = GgufModelMap.Architecture(config);
        var m = new GgufMetadata();
        m.String("general.architecture", arch);
        m.String("general.type", "model");
        m.String("general.name", Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar)));
        m.UInt32("general.alignment", GgufWriter.DefaultAlignment);
        GgufModelMap.AddHyperparameters(m, config);
        m.UInt32("general.file_type", type.FileType);
        m.UInt32("general.quantization_version", QuantizationVersion);
        GgufVocabulary.Add(m, folder, config);

        if (vocabOnly)
        {
            GgufWriter.Write(output, m, []);
            return new GgufExportResult(arch, 0, new FileInfo(output).Length, []);
        }
        using var checkpoint = SafetensorsCheckpoint.Open(folder);
        var tensors = new List<GgufTensor>();
        var fallback = new List<string>();
        if (GgufModelMap.RopeFactors(config) is { } factors)
            tensors.Add(new GgufTensor("rope_freqs.weight", [factors.Length], GgmlType.F32, s => GgmlEncoding.Write(s, tensor(factors), GgmlType.F32)));
        foreach (var source in GgufModelMap.Tensors(config, checkpoint.Names.Order(StringComparer.Ordinal)))
        {
            var shape = checkpoint.Info(source.HfName).Shape.ToArray();
            var ggmlType = TypeFor(source.GgufName, shape, type.Weights);
            if (ggmlType != type.Weights && type.Weights == GgmlType.Q8_0 && shape.Length > 1)
            {
                ggmlType = GgmlType.F16;
                fallback.Add(source.GgufName);
            }
            tensors.Add(new GgufTensor(source.GgufName, shape, ggmlType, s =>
            {
                using var scope = NewDisposeScope();
                var values = checkpoint.Load(source.HfName, float32, CPU);
                GgmlEncoding.Write(s, source.Transform is null ? values : source.Transform(values), ggmlType);
            }));
        }
        GgufWriter.Write(output, m, tensors);
        return new GgufExportResult(arch, tensors.Count, new FileInfo(output).Length, fallback);
    }

    /// <summary>convert_hf_to_gguf.py's rule: 1-D tensors, norms and biases stay F32; other weights take the chosen type,
    /// Q8_0 only where each row is a whole number of 32-value blocks.</summary>
    static GgmlType TypeFor(string name, long[] shape, GgmlType weights)
    {
        if (shape.Length <= 1 || name.EndsWith("_norm.weight", StringComparison.Ordinal) || !name.EndsWith(".weight", StringComparison.Ordinal))
            return GgmlType.F32;
        return GgmlEncoding.Fits(weights, shape[^1]) ? weights : GgmlType.F16;
    }
}
