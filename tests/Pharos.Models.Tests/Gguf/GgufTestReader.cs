// A small GGUF v3 reader for the tests, written from ggml's docs/gguf.md independently of Pharos's writer: header,
// typed metadata, tensor infos, and each tensor's bytes at its aligned offset, with the format's invariants checked.
using System.Text;

namespace Pharos.Models.Tests.Gguf;

internal sealed record GgufTestTensor(string Name, long[] GgmlShape, uint Type, long Offset, byte[] Data);

internal sealed class GgufTestReader
{
    static readonly string[] TypeNames = ["UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32", "FLOAT32", "BOOL", "STRING", "ARRAY", "UINT64", "INT64", "FLOAT64"];

    public uint Version { get; private init; }
    /// <summary>Key → (type names as gguf-py lists them, e.g. ["ARRAY", "STRING"], value: string, long, double, bool or List&lt;object&gt;).</summary>
    public Dictionary<string, (List<string> Types, object Value)> Metadata { get; } = new(StringComparer.Ordinal);
    public List<GgufTestTensor> Tensors { get; } = [];
    public int Alignment { get; private set; }

    public static GgufTestReader Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        if (Encoding.ASCII.GetString(r.ReadBytes(4)) != "GGUF") throw new InvalidDataException("not a GGUF file");
        var file = new GgufTestReader { Version = r.ReadUInt32() };
        ulong tensorCount = r.ReadUInt64(), kvCount = r.ReadUInt64();
        for (ulong i = 0; i < kvCount; i++)
        {
            var key = String(r);
            var types = new List<string>();
            file.Metadata[key] = (types, Value(r, r.ReadUInt32(), types));
        }
        file.Alignment = file.Metadata.TryGetValue("general.alignment", out var a) ? (int)(long)a.Value : 32;
        var infos = new List<(string Name, long[] Shape, uint Type, long Offset)>();
        for (ulong i = 0; i < tensorCount; i++)
        {
            var name = String(r);
            uint dims = r.ReadUInt32();
            var shape = new long[dims];
            for (int d = 0; d < dims; d++) shape[d] = (long)r.ReadUInt64();
            infos.Add((name, shape, r.ReadUInt32(), (long)r.ReadUInt64()));
        }
        long dataStart = (r.BaseStream.Position + file.Alignment - 1) / file.Alignment * file.Alignment;
        for (int i = 0; i < infos.Count; i++)
        {
            var (name, shape, type, offset) = infos[i];
            if (offset % file.Alignment != 0) throw new InvalidDataException($"{name}: offset {offset} is not aligned to {file.Alignment}");
            long size = ByteSize(type, shape.Aggregate(1L, (x, y) => x * y));
            long end = i + 1 < infos.Count ? infos[i + 1].Offset : bytes.Length - dataStart;
            if (offset + size > end) throw new InvalidDataException($"{name}: {size} bytes at {offset} overrun the next tensor or the file");
            file.Tensors.Add(new GgufTestTensor(name, shape, type, offset, bytes.AsSpan((int)(dataStart + offset), (int)size).ToArray()));
        }
        return file;
    }

    public static long ByteSize(uint type, long elements) => type switch
    {
        0 => elements * 4,
        1 or 30 => elements * 2,
        8 => elements / 32 * 34,
        _ => throw new InvalidDataException($"ggml type {type} not expected"),
    };

    static string String(BinaryReader r) => Encoding.UTF8.GetString(r.ReadBytes(checked((int)r.ReadUInt64())));

    static object Value(BinaryReader r, uint type, List<string> types)
    {
        types.Add(TypeNames[type]);
        return type switch
        {
            0 => (long)r.ReadByte(), 1 => (long)r.ReadSByte(), 2 => (long)r.ReadUInt16(), 3 => (long)r.ReadInt16(),
            4 => (long)r.ReadUInt32(), 5 => (long)r.ReadInt32(), 6 => (double)r.ReadSingle(),
            7 => r.ReadByte() switch { 0 => false, 1 => true, var b => throw new InvalidDataException($"bool byte {b}") },
            8 => String(r),
            9 => Array(r, types),
            10 => (long)r.ReadUInt64(), 11 => r.ReadInt64(), 12 => r.ReadDouble(),
            _ => throw new InvalidDataException($"metadata type {type}"),
        };
    }

    static List<object> Array(BinaryReader r, List<string> types)
    {
        uint element = r.ReadUInt32();
        ulong n = r.ReadUInt64();
        var items = new List<object>();
        var elementTypes = new List<string>();
        for (ulong i = 0; i < n; i++) { elementTypes.Clear(); items.Add(Value(r, element, elementTypes)); }
        types.Add(TypeNames[element]);
        return items;
    }
}
