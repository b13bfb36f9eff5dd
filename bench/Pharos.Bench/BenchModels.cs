// Model shapes used by the benchmarks: a ~110M-parameter Llama (tied embeddings) written as an HF folder with seeded random weights.
using Pharos.Models.Config;
using Pharos.Models.Loading;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class BenchModels
{
    public const string Llama110M = """
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 32000, "hidden_size": 768,
         "intermediate_size": 2048, "num_hidden_layers": 12, "num_attention_heads": 12, "num_key_value_heads": 12,
         "max_position_embeddings": 2048, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": true,
         "bos_token_id": 1, "eos_token_id": 2}
        """;

    /// <summary>Writes a seeded random model into a fresh temp folder (for the peer) and loads it back (for Pharos);
    /// <paramref name="parent"/> puts the folder where a peer in a chroot can read it.</summary>
    public static BenchModel Create(string configJson, long seed = 0, string? parent = null)
    {
        var folder = parent is null ? Directory.CreateTempSubdirectory("pharos-bench-").FullName
            : Directory.CreateDirectory(Path.Combine(parent, "pharos-bench-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        using (var fresh = new CausalLM(ConfigReader.Parse(configJson), float32, CPU))
        {
            WeightInit.Normal(fresh, seed);
            ModelSaver.Save(fresh, folder);
        }
        return new BenchModel(folder);
    }

    /// <summary>Random token ids in [3, vocab), also written as int64 to FOLDER/name for the peer.</summary>
    public static long[] WriteIds(BenchModel bench, string name, int count, int seed)
    {
        var rng = new Random(seed);
        var ids = Enumerable.Range(0, count).Select(_ => (long)rng.Next(3, bench.Model.Config.VocabSize)).ToArray();
        File.WriteAllBytes(bench.File(name), ids.SelectMany(BitConverter.GetBytes).ToArray());
        return ids;
    }

    /// <summary>Multiply-adds ×2 of one forward pass: every projection, the LM head, and attention's two T×T products.</summary>
    public static double ForwardFlops(ModelConfig c, long batch, long seq)
    {
        double perToken = 2.0 * c.NumLayers * (
            c.HiddenSize * (double)c.NumHeads * c.HeadDim * 2 + c.HiddenSize * (double)c.NumKvHeads * c.HeadDim * 2
            + 3.0 * c.HiddenSize * c.IntermediateSize) + 2.0 * c.HiddenSize * c.VocabSize;
        double attention = 2.0 * 2 * c.NumLayers * (double)c.NumHeads * c.HeadDim * seq * seq * batch;
        return perToken * batch * seq + attention;
    }
}

/// <summary>A benchmark model: its HF folder on disk (deleted on dispose) and, once asked for, the loaded Pharos model
/// (loaded lazily so benchmarks that measure their own loading and peak memory do not pay for it).</summary>
internal sealed class BenchModel(string folder) : IDisposable
{
    CausalLM? model;

    public string Folder => folder;
    public CausalLM Model => model ??= ModelLoader.Load(folder);
    public string File(string name) => Path.Combine(folder, name);

    public void Dispose()
    {
        model?.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
