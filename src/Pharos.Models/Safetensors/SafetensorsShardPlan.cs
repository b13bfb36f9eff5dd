// Splits tensors into shards as huggingface_hub's split_torch_state_dict_into_shards does, and names them like transformers.
using System.Globalization;
using System.Text;
using TorchSharp;

namespace Pharos.Models.Safetensors;

internal static class SafetensorsShardPlan
{
    /// <summary>
    /// Greedy, in input order: a tensor bigger than the limit gets a shard of its own (appended before the
    /// shard being filled, exactly as the reference does); otherwise a new shard starts when the tensor would tip
    /// the current one over the limit.
    /// </summary>
    public static List<List<KeyValuePair<string, torch.Tensor>>> Split(
        IReadOnlyList<KeyValuePair<string, torch.Tensor>> tensors, long maxShardBytes, out long totalSize)
    {
        var shards = new List<List<KeyValuePair<string, torch.Tensor>>>();
        var current = new List<KeyValuePair<string, torch.Tensor>>();
        long currentSize = 0;
        totalSize = 0;
        foreach (var pair in tensors)
        {
            var size = TensorMemory.ByteLength(pair.Value);
            totalSize += size;
            if (size > maxShardBytes)
            {
                shards.Add([pair]);
                continue;
            }
            if (currentSize + size > maxShardBytes)
            {
                shards.Add(current);
                current = [];
                currentSize = 0;
            }
            current.Add(pair);
            currentSize += size;
        }
        if (current.Count > 0 || shards.Count == 0)
            shards.Add(current);
        return shards;
    }

    public static string ShardName(string baseName, int index, int count) =>
        count == 1
            ? baseName + ".safetensors"
            : string.Create(CultureInfo.InvariantCulture, $"{baseName}-{index + 1:D5}-of-{count:D5}.safetensors");

    public static string IndexName(string baseName) => baseName + SafetensorsIndex.Suffix;

    /// <summary>The index as transformers writes it: json.dumps(index, indent=2, sort_keys=True) + "\n".</summary>
    public static string IndexJson(long totalSize, IEnumerable<KeyValuePair<string, string>> weightMap)
    {
        var sb = new StringBuilder();
        sb.Append("{\n  \"metadata\": {\n    \"total_size\": ")
            .Append(totalSize.ToString(CultureInfo.InvariantCulture))
            .Append("\n  },\n  \"weight_map\": {");
        var first = true;
        foreach (var (name, file) in weightMap.OrderBy(e => e.Key, Utf8OrdinalComparer.Instance))
        {
            sb.Append(first ? "\n    " : ",\n    ");
            JsonText.AppendPythonAscii(sb, name);
            sb.Append(": ");
            JsonText.AppendPythonAscii(sb, file);
            first = false;
        }
        sb.Append(first ? "}\n}\n" : "\n  }\n}\n");
        return sb.ToString();
    }
}
