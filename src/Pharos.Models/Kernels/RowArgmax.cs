// The index of the largest logit of one row, read in place from a CPU float32 or bfloat16 tensor: greedy decoding's
// choice without libtorch's argmax and the copy of its result back to the host (two calls and a tensor per step).
// Same answer as torch.argmax: the first index of the maximum, and a NaN counts as the maximum (its first index wins).
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Pharos.Models.Kernels;

internal static unsafe class RowArgmax
{
    /// <param name="logits">[N, vocab], contiguous on the CPU (see <see cref="TensorMemory.Readable"/>).</param>
    public static long Of(Tensor logits, int row)
    {
        int vocab = (int)logits.shape[1];
        if ((uint)row >= (ulong)logits.shape[0]) throw new ArgumentOutOfRangeException(nameof(row));
        return logits.dtype == ScalarType.BFloat16
            ? OfBfloat16((ushort*)TensorMemory.Data(logits) + (long)row * vocab, vocab)
            : OfFloat32((float*)TensorMemory.Data(logits) + (long)row * vocab, vocab);
    }

    static long OfBfloat16(ushort* values, int count)
    {
        int i = 0, best = 0;
        float max = float.NegativeInfinity;
        if (Vector512.IsHardwareAccelerated && count >= 16)
        {
            // Per lane: the largest value so far and its first index (a strict comparison keeps the earlier one).
            var lanes = Vector512.Create(float.NegativeInfinity);
            var where = Vector512<int>.Zero;
            var index = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            var sixteen = Vector512.Create(16);
            bool nan = false;
            for (; i + 16 <= count; i += 16, index += sixteen)
            {
                var v = (Vector512.WidenLower(Vector256.Load(values + i).ToVector512Unsafe()).AsUInt32() << 16).AsSingle();
                nan |= !Vector512.EqualsAll(v, v);
                var greater = Vector512.GreaterThan(v, lanes);
                lanes = Vector512.ConditionalSelect(greater, v, lanes);
                where = Vector512.ConditionalSelect(greater.AsInt32(), index, where);
            }
            if (nan) return Scalar(values, count);
            (max, best) = Reduce(lanes, where);
        }
        for (; i < count; i++)
        {
            float v = TensorMemory.FromBfloat16(values[i]);
            if (float.IsNaN(v)) return Scalar(values, count);
            if (v > max || i == 0) (max, best) = (v, i);
        }
        return best;
    }

    /// <summary>The largest lane value and, among the lanes holding it, the smallest index.</summary>
    static (float Max, int Index) Reduce(Vector512<float> lanes, Vector512<int> where)
    {
        float max = float.NegativeInfinity;
        for (int l = 0; l < 16; l++) max = Math.Max(max, lanes[l]);
        int index = int.MaxValue;
        for (int l = 0; l < 16; l++)
            if (lanes[l] == max) index = Math.Min(index, where[l]);
        return (max, index); // all −∞: every lane still holds its start, index 0, as torch answers
    }

    /// <summary>The plain scan (used when the row holds a NaN): the first NaN, else the first maximum.</summary>
    static long Scalar(ushort* values, int count)
    {
        int best = 0;
        float max = float.NegativeInfinity;
        for (int i = 0; i < count; i++)
        {
            float v = TensorMemory.FromBfloat16(values[i]);
            if (float.IsNaN(v)) return i;
            if (v > max || i == 0) (max, best) = (v, i);
        }
        return best;
    }

    static long OfFloat32(float* values, int count)
    {
        int best = 0;
        float max = float.NegativeInfinity;
        for (int i = 0; i < count; i++)
        {
            float v = values[i];
            if (float.IsNaN(v)) return i;
            if (v > max || i == 0) (max, best) = (v, i);
        }
        return best;
    }
}
