// Writes a GGUF v3 file (little-endian) as ggml's docs/gguf.md lays it out: header, metadata, tensor infos, padding to
// the alignment, then each tensor's data at an aligned offset. Written to a temporary name, fsynced and renamed.
using System.Text;
using Pharos.IO;

namespace Pharos.Models.Gguf;

public static class GgufWriter
{
    public const uint Version = 3;
    /// <summary>The alignment readers assume when general.alignment is absent.</summary>
    public const int DefaultAlignment = 32;

    public static void Write(string path, GgufMetadata metadata, IReadOnlyList<GgufTensor> tensors)
    {
        foreach (var t in tensors)
            if (Encoding.UTF8.GetByteCount(t.Name) > 64) throw new ArgumentException($"GGUF tensor names are at most 64 bytes: {t.Name}");
        AtomicFile.Write(path, file =>
        {
            // Not disposed: that would close the file AtomicFile still has to fsync.
            var stream = new BufferedStream(file, 1 << 20);
            var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write("GGUF"u8);
            w.Write(Version);
            w.Write((ulong)tensors.Count);
            w.Write((ulong)metadata.Entries.Count);
            foreach (var entry in metadata.Entries)
            {
                WriteString(w, entry.Key);
                w.Write((uint)entry.Type);
                WriteValue(w, entry.Type, entry.Value, entry.ElementType);
            }
            long offset = 0;
            foreach (var t in tensors)
            {
                WriteString(w, t.Name);
                w.Write((uint)t.Shape.Length);
                // ggml's ne[0] is the innermost (fastest-varying) dimension: PyTorch's shape reversed.
                for (int d = t.Shape.Length - 1; d >= 0; d--) w.Write((ulong)t.Shape[d]);
                w.Write((uint)t.Type);
                w.Write((ulong)offset);
                offset = Align(offset + t.ByteSize);
            }
            w.Flush();
            Pad(stream, stream.Position);
            long start = stream.Position;
            foreach (var t in tensors)
            {
                long before = stream.Position;
                t.WriteData(stream);
                long written = stream.Position - before;
                if (written != t.ByteSize) throw new InvalidOperationException($"{t.Name}: wrote {written} bytes, expected {t.ByteSize}");
                Pad(stream, stream.Position - start);
            }
            stream.Flush();
        });
    }

    static long Align(long offset) => (offset + DefaultAlignment - 1) / DefaultAlignment * DefaultAlignment;

    static void Pad(Stream stream, long position)
    {
        long padding = Align(position) - position;
        for (long i = 0; i < padding; i++) stream.WriteByte(0);
    }

    static void WriteString(BinaryWriter w, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    static void WriteValue(BinaryWriter w, GgufValueType type, object value, GgufValueType elementType)
    {
        switch (type)
        {
            case GgufValueType.String: WriteString(w, (string)value); break;
            case GgufValueType.UInt32: w.Write((uint)value); break;
            case GgufValueType.Float32: w.Write((float)value); break;
            case GgufValueType.Bool: w.Write((bool)value ? (byte)1 : (byte)0); break;
            case GgufValueType.Array:
                w.Write((uint)elementType);
                switch (elementType)
                {
                    case GgufValueType.String:
                        var strings = (IReadOnlyList<string>)value;
                        w.Write((ulong)strings.Count);
                        foreach (var s in strings) WriteString(w, s);
                        break;
                    case GgufValueType.Int32:
                        var ints = (IReadOnlyList<int>)value;
                        w.Write((ulong)ints.Count);
                        foreach (var i in ints) w.Write(i);
                        break;
                    case GgufValueType.Float32:
                        var floats = (IReadOnlyList<float>)value;
                        w.Write((ulong)floats.Count);
                        foreach (var f in floats) w.Write(f);
                        break;
                    default: throw new ArgumentOutOfRangeException(nameof(elementType), elementType, "array element type not written by Pharos");
                }
                break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "value type not written by Pharos");
        }
    }
}
