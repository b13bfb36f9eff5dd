// precompute_ref_log_probs: reference log-probs of every training pair computed once, saved to disk (ref_logps.json: the
// reference's fingerprint and the log-probs keyed by a hash of each row's tokens), then only looked up, so training never
// runs the reference model again, even after a resume. A cache made with another reference is recomputed; a complete
// one is used without opening (loading) the reference at all.
using System.Security.Cryptography;
using Pharos.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pharos.Models.Loading;
using Pharos.Models.Transformer;
using Pharos.Training.Datasets;
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Dpo;

public sealed class CachedReference : IReferenceLogProbs
{
    const string FingerprintKey = "reference_sha256", LogProbsKey = "log_probs";
    readonly Dictionary<string, double[]> cache;

    CachedReference(Dictionary<string, double[]> cache, int computed)
    {
        this.cache = cache;
        Computed = computed;
    }

    public int Count => cache.Count;

    /// <summary>Rows whose log-probs were computed by this Build (0: every row came from the file).</summary>
    public int Computed { get; }

    /// <summary>Loads <paramref name="path"/> when it was made with this reference (<paramref name="fingerprint"/>, see
    /// ReferenceFingerprint) and covers every row; otherwise calls <paramref name="openReference"/> (which may load a
    /// model), computes the missing rows and saves.</summary>
    public static CachedReference Build(string path, string fingerprint, Func<IReferenceLogProbs> openReference, CausalLM policy,
        IReadOnlyList<PackedSequence> rows, int batchSize, int padId, Action<string>? message = null)
    {
        var cache = Read(path, fingerprint, message);
        var missing = rows.Where(r => !cache.ContainsKey(Key(r))).DistinctBy(Key).ToList();
        if (missing.Count == 0) return new CachedReference(cache, 0);
        var source = openReference();
        bool wasTraining = policy.training;
        policy.eval();
        for (int i = 0; i < missing.Count; i += batchSize)
        {
            using var scope = NewDisposeScope();
            var chunk = missing.Skip(i).Take(batchSize).ToList();
            using var batch = BatchBuilder.Build(chunk, padId, policy.Device);
            var lp = source.LogProbs(policy, batch).cpu().to(float64).data<double>().ToArray();
            for (int r = 0; r < chunk.Count; r++) cache[Key(chunk[r])] = [lp[2 * r], lp[2 * r + 1]];
        }
        if (wasTraining) policy.train();
        var file = new JsonObject { [FingerprintKey] = fingerprint, [LogProbsKey] = JsonSerializer.SerializeToNode(cache) };
        AtomicFile.WriteAllText(path, file.ToJsonString());
        return new CachedReference(cache, missing.Count);
    }

    /// <summary>The cached log-probs when the file exists and was made with this reference; else none (with a message).</summary>
    static Dictionary<string, double[]> Read(string path, string fingerprint, Action<string>? message)
    {
        if (!File.Exists(path)) return [];
        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is JsonObject file && file[FingerprintKey]?.GetValue<string>() == fingerprint)
                return file[LogProbsKey].Deserialize<Dictionary<string, double[]>>() ?? [];
            message?.Invoke($"{path} was computed with another reference model (or by an older Pharos); recomputing");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            message?.Invoke($"{path} is unreadable ({e.Message}); recomputing");
        }
        return [];
    }

    public Tensor LogProbs(CausalLM policy, Batch batch)
    {
        var values = batch.Rows.SelectMany(r => cache.TryGetValue(Key(r), out var v) ? v
            : throw new InvalidOperationException("a preference row is missing from the reference log-prob cache")).Select(v => (float)v).ToArray();
        return tensor(values, [batch.Rows.Count, 2], device: policy.Device);
    }

    static string Key(PackedSequence row)
    {
        var bytes = new byte[row.Ids.Length * 8];
        Buffer.BlockCopy(row.Ids, 0, bytes, 0, row.Ids.Length * 4);
        Buffer.BlockCopy(row.DocIds, 0, bytes, row.Ids.Length * 4, row.Ids.Length * 4);
        return Convert.ToHexString(SHA256.HashData(bytes));
    }
}
