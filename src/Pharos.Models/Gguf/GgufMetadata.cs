// GGUF's key-value metadata, kept in insertion order with each value's GGUF type, as the file writes them.
namespace Pharos.Models.Gguf;

public enum GgufValueType : uint
{
    UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7, String = 8, Array = 9,
    UInt64 = 10, Int64 = 11, Float64 = 12,
}

/// <param name="ElementType">for arrays, the type of every element</param>
public sealed record GgufEntry(string Key, GgufValueType Type, object Value, GgufValueType ElementType = GgufValueType.UInt8);

public sealed class GgufMetadata
{
    readonly List<GgufEntry> entries = [];
    readonly HashSet<string> keys = new(StringComparer.Ordinal);

    public IReadOnlyList<GgufEntry> Entries => entries;

    public bool Contains(string key) => keys.Contains(key);

    public void String(string key, string value) => Add(new(key, GgufValueType.String, value));
    public void UInt32(string key, uint value) => Add(new(key, GgufValueType.UInt32, value));
    public void Float32(string key, float value) => Add(new(key, GgufValueType.Float32, value));
    public void Bool(string key, bool value) => Add(new(key, GgufValueType.Bool, value));
    public void Strings(string key, IReadOnlyList<string> values) => Add(new(key, GgufValueType.Array, values, GgufValueType.String));
    public void Int32s(string key, IReadOnlyList<int> values) => Add(new(key, GgufValueType.Array, values, GgufValueType.Int32));
    public void Float32s(string key, IReadOnlyList<float> values) => Add(new(key, GgufValueType.Array, values, GgufValueType.Float32));

    void Add(GgufEntry entry)
    {
        if (!keys.Add(entry.Key)) throw new InvalidOperationException($"GGUF metadata key {entry.Key} written twice");
        entries.Add(entry);
    }
}
