// Writes tensors to .safetensors files byte-identical to Python safetensors, singly or as a sharded HF checkpoint.
using Pharos.IO;
using System.Buffers.Binary;
using System.Text;
using Pharos.Models.Loading;
using System.Text.RegularExpressions;
using TorchSharp;

namespace Pharos.Models.Safetensors;

public static class SafetensorsWriter
{
    /// <summary>Writes one file atomically; tensors are made contiguous and copied to the CPU as needed.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = SafetensorsHeaderWriter.Layout(tensors);
        WriteFile(path, SafetensorsHeaderWriter.Build(entries, metadata), stream =>
        {
            foreach (var entry in entries)
                TensorMemory.WriteTo(stream, entry.Tensor);
        });
    }

    /// <summary>The file atomically: the header's length (8 bytes, little-endian), the header, then the data.</summary>
    static void WriteFile(string path, byte[] header, Action<Stream> data) => AtomicFile.Write(path, stream =>
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        data(stream);
    });

    /// <summary>
    /// Writes one file atomically from tensors made one at a time, so that only one of them exists at once: the header
    /// comes from <paramref name="layout"/> (tensors with the final names, shapes and dtypes; meta tensors will do), then
    /// each entry's data from <paramref name="produce"/>(name), called in the file's order (by dtype alignment, then
    /// name, as safetensors lays tensors out) inside a dispose scope of its own. With no <paramref name="path"/> nothing
    /// is written, and produce is still called for every entry in the same order (ranks that gather collectively but do
    /// not write).
    /// </summary>
    public static void WriteStreamed(string? path, IEnumerable<KeyValuePair<string, torch.Tensor>> layout, Func<string, torch.Tensor> produce,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = SafetensorsHeaderWriter.Layout(layout);
        void Each(Action<torch.Tensor> use)
        {
            foreach (var entry in entries)
            {
                using var scope = torch.NewDisposeScope();
                var tensor = produce(entry.Name);
                if (tensor.dtype != entry.Tensor.dtype || !tensor.shape.SequenceEqual(entry.Tensor.shape))
                    throw new InvalidOperationException($"tensor \"{entry.Name}\" was laid out as {entry.Tensor.dtype} [{string.Join(", ", entry.Tensor.shape)}] " +
                        $"but produced as {tensor.dtype} [{string.Join(", ", tensor.shape)}]");
                use(tensor);
            }
        }
        if (path is null)
        {
            Each(_ => { });
            return;
        }
        WriteFile(path, SafetensorsHeaderWriter.Build(entries, metadata), stream => Each(t => TensorMemory.WriteTo(stream, t)));
    }

    /// <summary>
    /// Writes `{baseName}.safetensors` when everything fits in <paramref name="maxShardBytes"/>, else
    /// `{baseName}-00001-of-0000N.safetensors` shards plus `{baseName}.safetensors.index.json`, as transformers'
    /// save_pretrained does; <paramref name="metadata"/> goes into every file. Leftover files of an earlier save
    /// under the same base name (old shards, a stale index or single file) are removed, as transformers does.
    /// </summary>
    public static void WriteCheckpoint(string folder, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors,
        long maxShardBytes = 5_000_000_000, IReadOnlyDictionary<string, string>? metadata = null, string baseName = "model")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShardBytes);
        ArgumentException.ThrowIfNullOrEmpty(baseName);
        Directory.CreateDirectory(folder);

        var list = tensors.ToList();
        var shards = SafetensorsShardPlan.Split(list, maxShardBytes, out var totalSize);
        var written = new HashSet<string>(StringComparer.Ordinal);
        var weightMap = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < shards.Count; i++)
        {
            var name = SafetensorsShardPlan.ShardName(baseName, i, shards.Count);
            Write(Path.Combine(folder, name), shards[i], metadata);
            written.Add(name);
            weightMap.AddRange(shards[i].Select(t => new KeyValuePair<string, string>(t.Key, name)));
        }

        if (shards.Count > 1)
        {
            var indexName = SafetensorsShardPlan.IndexName(baseName);
            var json = SafetensorsShardPlan.IndexJson(totalSize, weightMap);
            AtomicFile.Write(Path.Combine(folder, indexName), s => s.Write(Encoding.UTF8.GetBytes(json)));
            written.Add(indexName);
        }
        RemoveStale(folder, baseName, written);
    }

    /// <summary>Deletes this base name's shard files, index or single file that the save just made did not write.</summary>
    static void RemoveStale(string folder, string baseName, HashSet<string> written)
    {
        var shardPattern = new Regex("^" + Regex.Escape(baseName) + @"-\d{5}-of-\d{5}\.safetensors$");
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(path);
            var ours = shardPattern.IsMatch(name)
                || name == SafetensorsShardPlan.IndexName(baseName)
                || name == baseName + ".safetensors";
            if (ours && !written.Contains(name))
                File.Delete(path);
        }
    }
}
