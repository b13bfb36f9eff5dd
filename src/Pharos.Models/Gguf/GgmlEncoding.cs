// Turns a float32 tensor into the bytes of a ggml type: F32, F16 and BF16 by casting (round to nearest even, as torch
// and gguf-py do), Q8_0 as ggml's reference quantizer does it: per block of 32, d = max|x| / 127 and
// q = round(x / d) (halves away from zero), d stored as fp16.
using Pharos.Models.Safetensors;
using static TorchSharp.torch;

namespace Pharos.Models.Gguf;

public static class GgmlEncoding
{
    /// <summary>Whether every row of a tensor whose innermost dimension is <paramref name="rowLength"/> fits the type's blocks.</summary>
    public static bool Fits(GgmlType type, long rowLength) => type != GgmlType.Q8_0 || rowLength % GgmlTypes.Q8BlockSize == 0;

    public static void Write(Stream stream, Tensor values, GgmlType type)
    {
        using var scope = NewDisposeScope();
        var x = values.to(float32).cpu().contiguous();
        switch (type)
        {
            case GgmlType.F32: TensorMemory.WriteTo(stream, x); break;
            case GgmlType.F16: TensorMemory.WriteTo(stream, x.to(float16)); break;
            case GgmlType.BF16: TensorMemory.WriteTo(stream, x.to(bfloat16)); break;
            case GgmlType.Q8_0: WriteQ8(stream, x); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    /// <summary>Blocks of 34 bytes: the fp16 scale, then 32 int8 values.</summary>
    static void WriteQ8(Stream stream, Tensor x)
    {
        const int n = GgmlTypes.Q8BlockSize;
        if (x.numel() % n != 0) throw new ArgumentException($"Q8_0 needs a multiple of {n} values, got {x.numel()}");
        var blocks = x.reshape(-1, n);
        var d = blocks.abs().amax([1], keepdim: true) / 127f;
        var inverse = where(d.eq(0), zeros_like(d), d.reciprocal());
        var scaled = blocks * inverse;
        // roundf: halves away from zero (torch.round would take them to even).
        var q = (scaled.sign() * (scaled.abs() + 0.5f).floor()).to(int8).contiguous();
        var scales = d.to(float16).contiguous().data<Half>();
        var values = q.data<sbyte>();
        var block = new byte[2 + n];
        for (long b = 0; b < scales.Count; b++)
        {
            BitConverter.TryWriteBytes(block.AsSpan(0, 2), scales[b]);
            for (int i = 0; i < n; i++) block[2 + i] = (byte)values[b * n + i];
            stream.Write(block);
        }
    }
}
