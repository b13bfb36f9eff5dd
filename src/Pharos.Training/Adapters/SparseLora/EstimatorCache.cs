// The SVD estimators of a model, cached as safetensors next to it with a hash of the weights they came from: reused when
// the hash matches, recomputed (and rewritten) when the weights differ, computed in memory when there is no folder to write.
using System.Security.Cryptography;
using System.Text;
using Pharos.Models.Safetensors;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Training.Adapters.SparseLora;

public static class EstimatorCache
{
    public const string FileName = "sparselora_estimator.safetensors";
    const string HashKey = "pharos_weights_sha256", RankKey = "pharos_rank";

    /// <summary>The projections whose outputs are estimated (o_proj and down_proj reuse their partners' channels).</summary>
    public static readonly IReadOnlyList<string> Estimated = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "mlp.gate_proj", "mlp.up_proj"];

    public static List<(string Name, Linear Layer)> Targets(CausalLM model) =>
        Enumerable.Range(0, model.Config.NumLayers)
            .SelectMany(i => Estimated.Select(p => $"model.layers.{i}.{p}"))
            .Select(n => (n, (Linear)model.named_modules().First(m => m.name == n).module)).ToList();

    /// <summary>SHA-256 over every estimated weight's name, shape and bfloat16-rounded bytes, and the rank. Rounding first makes
    /// one cache serve a checkpoint loaded as float32 or bfloat16 (an estimator does not need the last bits).</summary>
    public static string WeightsHash(IEnumerable<(string Name, Linear Layer)> targets, int rank)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"rank={rank};"));
        foreach (var (name, layer) in targets)
        {
            using var w = layer.weight.detach().to(bfloat16).cpu().contiguous();
            sha.AppendData(Encoding.UTF8.GetBytes($"{name}:{string.Join("x", w.shape)};"));
            sha.AppendData(w.bytes);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <param name="folder">the model folder (null: a model built in memory; nothing is cached)</param>
    /// <param name="progress">(done, total) as factors are computed</param>
    /// <param name="message">one line saying whether the cache was used, written or recomputed</param>
    public static Dictionary<string, LowRankFactors> LoadOrCompute(CausalLM model, string? folder, int rank,
        Action<int, int>? progress = null, Action<string>? message = null)
    {
        var targets = Targets(model);
        var hash = WeightsHash(targets, rank);
        string? path = folder is null ? null : Path.Combine(folder, FileName);
        if (path is not null && File.Exists(path))
        {
            using var file = SafetensorsFile.Open(path);
            if (file.Metadata.TryGetValue(HashKey, out var saved) && saved == hash && targets.All(t => file.Contains(t.Name + ".A")))
            {
                message?.Invoke($"sparselora: estimator loaded from {path}");
                return targets.ToDictionary(t => t.Name, t => new LowRankFactors(
                    file.Load(t.Name + ".A", float32, t.Layer.weight.device), file.Load(t.Name + ".B", float32, t.Layer.weight.device)), StringComparer.Ordinal);
            }
            message?.Invoke($"sparselora: {path} was made from other weights or another rank; recomputing");
        }
        var factors = Compute(targets, rank, progress);
        if (path is not null)
        {
            try
            {
                Save(path, factors, hash, rank);
                message?.Invoke($"sparselora: estimator (rank {rank}, {factors.Count} projections) written to {path}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                message?.Invoke($"sparselora: could not write {path} ({e.Message}); using the estimator in memory");
            }
        }
        return factors;
    }

    public static Dictionary<string, LowRankFactors> Compute(List<(string Name, Linear Layer)> targets, int rank, Action<int, int>? progress = null)
    {
        var result = new Dictionary<string, LowRankFactors>(StringComparer.Ordinal);
        for (int i = 0; i < targets.Count; i++)
        {
            result[targets[i].Name] = SvdEstimator.Factor(targets[i].Layer.weight, rank);
            progress?.Invoke(i + 1, targets.Count);
        }
        return result;
    }

    static void Save(string path, Dictionary<string, LowRankFactors> factors, string hash, int rank)
    {
        var tensors = factors.SelectMany(f => new[] { new KeyValuePair<string, Tensor>(f.Key + ".A", f.Value.A), new(f.Key + ".B", f.Value.B) });
        // SafetensorsWriter writes to a temporary name and renames, so a crash never leaves half a cache that a hash check would trust.
        SafetensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt", [HashKey] = hash, [RankKey] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }
}
