// Raw access to tensor memory for Pharos's CPU kernels: the data pointer of a (contiguous) tensor, and exact
// bfloat16 ↔ float32 conversions (widening is exact; narrowing rounds to nearest even, as libtorch does).
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Pharos.Models.Kernels;

internal static unsafe partial class TensorMemory
{
    /// <summary><paramref name="t"/> as a new contiguous bf16 tensor (a backward's incoming gradient in the layout a kernel
    /// reads); the conversion's intermediate is disposed at once, so no handle is left in the caller's dispose scope.</summary>
    public static Tensor ContiguousBfloat16(Tensor t)
    {
        using var converted = t.to(ScalarType.BFloat16);
        return converted.contiguous();
    }

    /// <summary>Address of the tensor's first element (storage offset included).</summary>
    public static void* Data(Tensor t) => (void*)TensorData(t.Handle);

    [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_data")]
    private static partial IntPtr TensorData(IntPtr tensor);

    /// <summary>True for contiguous float32 or bfloat16 CPU tensors, the element types the kernels read and write.</summary>
    public static bool Readable(Tensor t) =>
        t.device_type == TorchSharp.DeviceType.CPU && t.dtype is ScalarType.BFloat16 or ScalarType.Float32 && t.is_contiguous();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FromBfloat16(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>float32 → bfloat16, rounding to nearest even (NaN stays NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort ToBfloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x40);
        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }

    /// <summary>The value after a round trip through the tensor's dtype (what an eager op in that dtype stores).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Round(float value, bool bfloat16) => bfloat16 ? FromBfloat16(ToBfloat16(value)) : value;

    /// <summary>Reads <paramref name="count"/> elements (bfloat16 or float32) starting at <paramref name="source"/>[offset] as float32.</summary>
    public static void Read(void* source, bool bfloat16, long offset, float* target, int count)
    {
        if (!bfloat16)
        {
            Buffer.MemoryCopy((float*)source + offset, target, (long)count * 4, (long)count * 4);
            return;
        }
        var from = (ushort*)source + offset;
        int i = 0;
        if (Avx512F.IsSupported)
            for (; i + 16 <= count; i += 16)
                LoadBfloat16(from + i).Store(target + i);
        for (; i < count; i++) target[i] = FromBfloat16(from[i]);
    }

    /// <summary>Writes float32 values as the tensor's dtype (bfloat16 rounded to nearest even, or float32).</summary>
    public static void Write(float* source, void* target, bool bfloat16, long offset, int count)
    {
        if (!bfloat16)
        {
            Buffer.MemoryCopy(source, (float*)target + offset, (long)count * 4, (long)count * 4);
            return;
        }
        var to = (ushort*)target + offset;
        int i = 0;
        // 16 at a time: the same rounding as ToBfloat16 for every value but NaN, so a block holding a NaN is left to it.
        // (With the two helpers below, 0.15 ms less per batch-1 decoding step, `decode-profile --paired`.)
        if (Avx512F.IsSupported)
            for (; i + 16 <= count; i += 16)
            {
                var v = Vector512.Load(source + i);
                if (Vector512.EqualsAll(v, v)) StoreBfloat16(v, to + i);
                else for (int j = i; j < i + 16; j++) to[j] = ToBfloat16(source[j]);
            }
        for (; i < count; i++) to[i] = ToBfloat16(source[i]);
    }

    /// <summary>target[i] = source[i] rounded to bfloat16 and widened back (<see cref="Round"/>), 16 at a time where
    /// no NaN is among them (the vector rounding equals the scalar one for every other value).</summary>
    public static void RoundToBfloat16(float* source, float* target, int count)
    {
        int i = 0;
        if (Avx512F.IsSupported)
            for (; i + 16 <= count; i += 16)
            {
                var v = Vector512.Load(source + i);
                if (Vector512.EqualsAll(v, v)) RoundToBfloat16(v).Store(target + i);
                else for (int j = i; j < i + 16; j++) target[j] = Round(source[j], bfloat16: true);
            }
        for (; i < count; i++) target[i] = Round(source[i], bfloat16: true);
    }

    /// <summary>target[i] = bfloat16(a[i] + b[i]) widened back, as an eager bf16 addition of bf16-valued inputs stores it.</summary>
    public static void AddRoundToBfloat16(float* a, float* b, float* target, int count)
    {
        int i = 0;
        if (Avx512F.IsSupported)
            for (; i + 16 <= count; i += 16)
            {
                var v = Vector512.Load(a + i) + Vector512.Load(b + i);
                if (Vector512.EqualsAll(v, v)) RoundToBfloat16(v).Store(target + i);
                else for (int j = i; j < i + 16; j++) target[j] = Round(a[j] + b[j], bfloat16: true);
            }
        for (; i < count; i++) target[i] = Round(a[i] + b[i], bfloat16: true);
    }

    /// <summary>16 float32 values other than NaN rounded to bfloat16 (nearest even; infinities stay) and widened back:
    /// what a bf16 op stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> RoundToBfloat16(Vector512<float> values) => (BfloatBits(values) << 16).AsSingle();

    /// <summary>16 bfloat16 values widened to float32 (exact: the bits moved up 16 places).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadBfloat16(ushort* source) =>
        Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512Int32(Vector256.Load(source)).AsUInt32(), 16).AsSingle();

    /// <summary>16 finite float32 values stored as bfloat16, rounding to nearest even (as <see cref="ToBfloat16"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreBfloat16(Vector512<float> values, ushort* target) => Avx512F.ConvertToVector256UInt16(BfloatBits(values)).Store(target);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<uint> BfloatBits(Vector512<float> values)
    {
        var bits = values.AsUInt32();
        return (bits + Vector512.Create(0x7FFFu) + ((bits >> 16) & Vector512.Create(1u))) >> 16;
    }

    /// <summary>A float32 scratch buffer of at least <paramref name="count"/> elements, one per thread, reused.</summary>
    public static float[] Scratch(int slot, int count)
    {
        var buffers = scratch ??= new float[4][];
        if (buffers[slot] is null || buffers[slot].Length < count) buffers[slot] = new float[Math.Max(count, 256)];
        return buffers[slot];
    }

    [ThreadStatic] static float[][]? scratch;
}
