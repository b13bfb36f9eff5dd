// The ggml tensor types Pharos writes into GGUF files (numbered as ggml's docs/gguf.md numbers them) and their sizes.
namespace Pharos.Models.Gguf;

public enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
    Q8_0 = 8,
    BF16 = 30,
}

public static class GgmlTypes
{
    /// <summary>Q8_0 packs 32 weights per block: an fp16 scale and 32 int8 values.</summary>
    public const int Q8BlockSize = 32;

    /// <summary>Bytes of a tensor of <paramref name="elements"/> values (a multiple of the block size for Q8_0).</summary>
    public static long ByteSize(GgmlType type, long elements) => type switch
    {
        GgmlType.F32 => elements * 4,
        GgmlType.F16 or GgmlType.BF16 => elements * 2,
        GgmlType.Q8_0 => elements / Q8BlockSize * (2 + Q8BlockSize),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
