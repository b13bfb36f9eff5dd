// precompute_ref_log_probs: reference log-probs of every training pair computed once, saved to disk (ref_logps.json keyed by
// a hash of the row's tokens), then only looked up, so training never runs the reference model again, even after a resume.
// Several ranks split the missing rows by batch, sum their parts into one cache on every rank, and rank 0 saves it.
using System.Security.Cryptography;
using System.Text.Json;
using Pharos.Models.Loading;
using Pharos.Models.Transformer;
using Pharos.Training.Datasets;
using Pharos.Training.Distributed;
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Dpo;

public sealed class CachedReference : IReferenceLogProbs
{
    readonly Dictionary<string, double[]> cache;

    CachedReference(Dictionary<string, double[]> cache) => this.cache = cache;

    public int Count => cache.Count;

    /// <summary>Loads <paramref name="path"/> when it exists and covers every row; otherwise computes with <paramref name="source"/> and saves.</summary>
    public static CachedReference Build(string path, IReferenceLogProbs source, CausalLM policy, IReadOnlyList<PackedSequence> rows, int batchSize, int padId,
        DataParallel? parallel = null)
    {
        parallel ??= DataParallel.None;
        var cache = File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, double[]>>(File.ReadAllText(path)) ?? []
            : new Dictionary<string, double[]>();
        var missing = rows.Where(r => !cache.ContainsKey(Key(r))).DistinctBy(Key).ToList();
        // Batch k is computed by rank k mod N; the others leave zeros there, so a sum over ranks fills every row.
        var values = new double[missing.Count * 2];
        bool wasTraining = policy.training;
        policy.eval();
        for (int i = parallel.Rank * batchSize; i < missing.Count; i += batchSize * parallel.Size)
        {
            using var scope = NewDisposeScope();
            var chunk = missing.Skip(i).Take(batchSize).ToList();
            using var batch = BatchBuilder.Build(chunk, padId, policy.Device);
            var lp = source.LogProbs(policy, batch).cpu().to(float64).data<double>().ToArray();
            Array.Copy(lp, 0, values, 2 * i, 2 * chunk.Count);
        }
        if (wasTraining) policy.train();
        values = parallel.Sum(values);
        for (int r = 0; r < missing.Count; r++) cache[Key(missing[r])] = [values[2 * r], values[2 * r + 1]];
        if (missing.Count > 0 && parallel.IsWriter) AtomicFile.WriteAllText(path, JsonSerializer.Serialize(cache));
        return new CachedReference(cache);
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
