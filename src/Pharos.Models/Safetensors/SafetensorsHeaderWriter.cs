// Lays out tensors as the reference `serialize` does and writes its exact header: compact JSON, space-padded to 8 bytes.
using System.Globalization;
using System.Text;
using TorchSharp;

namespace Pharos.Models.Safetensors;

internal static class SafetensorsHeaderWriter
{
    /// <summary>A tensor placed in the data area.</summary>
    public sealed record Entry(string Name, torch.Tensor Tensor, SafetensorsTensorInfo Info);

    /// <summary>Sorts by dtype alignment (descending) then name, as the reference does, and assigns offsets.</summary>
    public static List<Entry> Layout(IEnumerable<KeyValuePair<string, torch.Tensor>> tensors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var items = new List<(string Name, torch.Tensor Tensor, SafetensorsDType DType)>();
        foreach (var (name, tensor) in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, name);
            JsonText.RequireValidUnicode(name, "tensor name");
            if (name == SafetensorsHeader.MetadataKey)
                throw new ArgumentException($"\"{name}\" is reserved for metadata and cannot name a tensor");
            if (!seen.Add(name))
                throw new ArgumentException($"tensor \"{name}\" is given twice");
            SafetensorsDType dtype;
            try
            {
                dtype = SafetensorsDTypes.FromTorch(tensor.dtype);
            }
            catch (NotSupportedException e)
            {
                throw new ArgumentException($"tensor \"{name}\": {e.Message}", e);
            }
            items.Add((name, tensor, dtype));
        }

        items.Sort((a, b) =>
        {
            var byAlignment = SafetensorsDTypes.AlignmentRank(b.DType).CompareTo(SafetensorsDTypes.AlignmentRank(a.DType));
            return byAlignment != 0 ? byAlignment : Utf8OrdinalComparer.Instance.Compare(a.Name, b.Name);
        });

        var entries = new List<Entry>(items.Count);
        long offset = 0;
        foreach (var (name, tensor, dtype) in items)
        {
            var length = TensorMemory.ByteLength(tensor);
            entries.Add(new Entry(name, tensor, new SafetensorsTensorInfo(name, dtype, tensor.shape, offset, offset + length)));
            offset += length;
        }
        return entries;
    }

    /// <summary>Header bytes (without the 8-byte length); metadata goes first, in the dictionary's order.</summary>
    public static byte[] Build(IReadOnlyList<Entry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var sb = new StringBuilder("{");
        var first = true;
        // An empty dictionary is treated as none, so re-saving a file without __metadata__ stays byte-identical.
        if (metadata is { Count: > 0 })
        {
            sb.Append("\"__metadata__\":{");
            var firstKey = true;
            foreach (var (key, value) in metadata)
            {
                JsonText.RequireValidUnicode(key, "metadata key");
                JsonText.RequireValidUnicode(value, "metadata value");
                if (!firstKey) sb.Append(',');
                JsonText.AppendSerde(sb, key);
                sb.Append(':');
                JsonText.AppendSerde(sb, value);
                firstKey = false;
            }
            sb.Append('}');
            first = false;
        }

        foreach (var entry in entries)
        {
            if (!first) sb.Append(',');
            first = false;
            var info = entry.Info;
            JsonText.AppendSerde(sb, info.Name);
            sb.Append(":{\"dtype\":\"").Append(SafetensorsDTypes.ToName(info.DType)).Append("\",\"shape\":[");
            sb.AppendJoin(',', info.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            sb.Append("],\"data_offsets\":[")
                .Append(info.DataBegin.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(info.DataEnd.ToString(CultureInfo.InvariantCulture)).Append("]}");
        }
        sb.Append('}');

        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        var padded = (bytes.Length + 7) / 8 * 8;
        if (padded > SafetensorsHeader.MaxHeaderLength)
            throw new ArgumentException($"the header would be {padded} bytes, above the {SafetensorsHeader.MaxHeaderLength}-byte limit readers accept");
        var header = new byte[padded];
        bytes.CopyTo(header, 0);
        header.AsSpan(bytes.Length).Fill((byte)' ');
        return header;
    }
}
