// Parses and validates a safetensors JSON header against the size of the data area it describes.
using System.Text.Json;
using System.Text.Unicode;

namespace Pharos.Models.Safetensors;

internal sealed class SafetensorsHeader
{
    /// <summary>The reference implementation's cap on header size (MAX_HEADER_SIZE).</summary>
    public const long MaxHeaderLength = 100_000_000;

    public const string MetadataKey = "__metadata__";

    SafetensorsHeader(List<SafetensorsTensorInfo> tensors, OrderedDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Entries in the order the header lists them.</summary>
    public List<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>`__metadata__` in header order, so a re-save writes it back the same way.</summary>
    public OrderedDictionary<string, string> Metadata { get; }

    public static SafetensorsHeader Parse(string file, ReadOnlySpan<byte> json, long dataLength)
    {
        // The reference decodes the header as strict UTF-8 before parsing it (a BOM is not JSON to serde).
        if (!Utf8.IsValid(json))
            throw new SafetensorsFormatException(file, null, "header is not valid UTF-8");
        if (json.StartsWith("\uFEFF"u8))
            throw new SafetensorsFormatException(file, null, "header starts with a byte-order mark, which is not JSON");

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(file, null, "header is not valid JSON: " + e.Message, e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(file, null, $"header is a JSON {Kind(doc.RootElement)}, not an object");

            var tensors = new List<SafetensorsTensorInfo>();
            var metadata = new OrderedDictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                var name = ReadString(file, null, "header key", property);
                if (!seen.Add(name))
                    throw new SafetensorsFormatException(file, name, "appears twice in the header");
                if (name == MetadataKey)
                    ReadMetadata(file, property.Value, metadata);
                else
                    tensors.Add(ReadTensor(file, name, property.Value));
            }

            CheckLayout(file, tensors, dataLength);
            return new SafetensorsHeader(tensors, metadata);
        }
    }

    static void ReadMetadata(string file, JsonElement value, OrderedDictionary<string, string> metadata)
    {
        // serde reads `__metadata__: null` as no metadata.
        if (value.ValueKind == JsonValueKind.Null)
            return;
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException(file, MetadataKey, $"must be an object of strings, not a JSON {Kind(value)}");
        foreach (var entry in value.EnumerateObject())
        {
            var key = ReadString(file, MetadataKey, "key", entry);
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new SafetensorsFormatException(file, MetadataKey, $"value of \"{key}\" is a JSON {Kind(entry.Value)}, not a string");
            if (!metadata.TryAdd(key, GetString(file, MetadataKey, entry.Value)))
                throw new SafetensorsFormatException(file, MetadataKey, $"key \"{key}\" appears twice");
        }
    }

    static SafetensorsTensorInfo ReadTensor(string file, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException(file, name, $"entry is a JSON {Kind(value)}, not an object");

        // Unknown fields are ignored, as the reference (serde without deny_unknown_fields) does.
        var dtypeElement = Field(file, name, value, "dtype", JsonValueKind.String);
        var dtypeName = GetString(file, name, dtypeElement);
        if (!SafetensorsDTypes.TryParse(dtypeName, out var dtype))
            throw new SafetensorsFormatException(file, name, $"field \"dtype\": unknown dtype \"{dtypeName}\" ({SafetensorsDTypes.Supported} are supported)");

        var shapeElement = Field(file, name, value, "shape", JsonValueKind.Array);
        var shape = new long[shapeElement.GetArrayLength()];
        var i = 0;
        foreach (var dim in shapeElement.EnumerateArray())
            shape[i++] = NonNegative(file, name, "shape", dim);

        var offsets = Field(file, name, value, "data_offsets", JsonValueKind.Array);
        if (offsets.GetArrayLength() != 2)
            throw new SafetensorsFormatException(file, name, $"field \"data_offsets\" has {offsets.GetArrayLength()} numbers, not 2");
        var begin = NonNegative(file, name, "data_offsets", offsets[0]);
        var end = NonNegative(file, name, "data_offsets", offsets[1]);
        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    /// <summary>The reference's `validate`: sorted by offsets, tensors must tile the data area exactly.</summary>
    static void CheckLayout(string file, List<SafetensorsTensorInfo> tensors, long dataLength)
    {
        // A stable sort, so equal (zero-size) ranges keep header order and errors are deterministic.
        var byOffset = tensors.OrderBy(t => t.DataBegin).ThenBy(t => t.DataEnd);

        long covered = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (var t in byOffset)
        {
            if (t.DataEnd < t.DataBegin)
                throw new SafetensorsFormatException(file, t.Name, $"field \"data_offsets\": end {t.DataEnd} is before begin {t.DataBegin}");
            if (t.DataEnd > dataLength)
                throw new SafetensorsFormatException(file, t.Name, $"field \"data_offsets\": [{t.DataBegin}, {t.DataEnd}] reaches outside the data area of {dataLength} bytes");
            if (t.DataBegin < covered)
                throw new SafetensorsFormatException(file, t.Name, $"field \"data_offsets\": [{t.DataBegin}, {t.DataEnd}] overlaps tensor \"{previous!.Name}\" (which ends at {covered})");
            if (t.DataBegin > covered)
                throw new SafetensorsFormatException(file, t.Name, $"field \"data_offsets\": begins at {t.DataBegin}, leaving bytes {covered}..{t.DataBegin} of the data area covered by no tensor");

            var expected = ByteSize(file, t);
            if (expected != t.ByteLength)
                throw new SafetensorsFormatException(file, t.Name, $"shape [{string.Join(", ", t.Shape)}] of {SafetensorsDTypes.ToName(t.DType)} needs {expected} bytes but data_offsets [{t.DataBegin}, {t.DataEnd}] span {t.ByteLength}");
            covered = t.DataEnd;
            previous = t;
        }

        if (covered != dataLength)
            throw new SafetensorsFormatException(file, null, $"the data area has {dataLength} bytes but the tensors cover only {covered}: the file is not fully covered");
    }

    static long ByteSize(string file, SafetensorsTensorInfo t)
    {
        try
        {
            // Checked in the same order as the reference, so both overflow on the same shapes.
            long elements = 1;
            foreach (var dim in t.Shape)
                elements = checked(elements * dim);
            return checked(elements * SafetensorsDTypes.SizeOf(t.DType));
        }
        catch (OverflowException e)
        {
            throw new SafetensorsFormatException(file, t.Name, $"shape [{string.Join(", ", t.Shape)}] overflows when computing its byte size", e);
        }
    }

    static JsonElement Field(string file, string name, JsonElement entry, string field, JsonValueKind kind)
    {
        if (!entry.TryGetProperty(field, out var value))
            throw new SafetensorsFormatException(file, name, $"field \"{field}\" is missing");
        if (value.ValueKind != kind)
            throw new SafetensorsFormatException(file, name, $"field \"{field}\" is a JSON {Kind(value)}, not {(kind == JsonValueKind.Array ? "an array" : "a string")}");
        return value;
    }

    static long NonNegative(string file, string name, string field, JsonElement value)
    {
        // Integers only (serde rejects 2.0 and 1e3 for usize); above long.MaxValue nothing can fit a file anyway.
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var n) || n < 0 || value.GetRawText().AsSpan().IndexOfAny(".eE-") >= 0)
            throw new SafetensorsFormatException(file, name, $"field \"{field}\": {Truncate(value.GetRawText())} is not a non-negative integer");
        return n;
    }

    static string ReadString(string file, string? tensor, string what, JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException e)
        {
            throw new SafetensorsFormatException(file, tensor, $"{what} is not a valid Unicode string", e);
        }
    }

    static string GetString(string file, string? tensor, JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new SafetensorsFormatException(file, tensor, "a string in the header is not valid Unicode", e);
        }
    }

    static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();

    static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
