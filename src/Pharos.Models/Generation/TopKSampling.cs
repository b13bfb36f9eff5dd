// Top-k sampling (with temperature, then top-p over the top-k tokens' own distribution, transformers' order) for one row
// of CPU logits, read in place: one pass over the vocabulary keeps the k largest logits, and only those k are
// exponentiated, sorted and drawn from. Why: the tensor route (index_select, cast, divide, softmax over the whole
// vocabulary, topk, normalise, cumsum, mask, multinomial, copy back) is ten libtorch calls per row, about 0.2 ms a row
// and 7% of a serving step of 8 rows with mixed settings; this is a few microseconds. Same distribution: the softmax of
// the whole vocabulary restricted to the top k and renormalised is the softmax of those k logits.
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Pharos.Models.Kernels;
using static TorchSharp.torch;

namespace Pharos.Models.Generation;

public static unsafe class TopKSampling
{
    /// <summary>Off sends top-k rows through the tensor route too (`bench decode-profile --paired --sampling` alternates).</summary>
    public static bool Enabled { get; set; } = true;

    /// <summary>Largest top_k taken this way (larger ones go through the tensor route).</summary>
    public const int MaxK = 256;

    /// <summary>Sampling with 0 &lt; top_k ≤ <see cref="MaxK"/>, no repetition penalty, on CPU float32/bf16 logits [N, vocab].</summary>
    internal static bool Applies(Tensor logits, GenerationOptions o) =>
        Enabled && !o.Greedy && o.TopK is > 0 and <= MaxK && o.RepetitionPenalty == 1.0 && logits.dim() == 2 && TensorMemory.Readable(logits);

    /// <summary>The token drawn from row <paramref name="row"/> with <paramref name="uniform"/> in [0, 1).</summary>
    internal static int Choose(Tensor logits, int row, GenerationOptions o, double uniform)
    {
        var (ids, weights, kept) = Distribution(logits, row, o);
        double mass = 0, cumulative = 0;
        for (int i = 0; i < kept; i++) mass += weights[i];
        if (!(mass > 0) || double.IsInfinity(mass)) return ids.Length > 0 ? ids[0] : 0; // infinite or no finite logits: the largest
        double target = uniform * mass;
        for (int i = 0; i < kept; i++)
        {
            cumulative += weights[i];
            if (cumulative > target) return ids[i];
        }
        return ids[kept - 1]; // rounding left the target at the very end
    }

    /// <summary>The candidates, most likely first: ids, unnormalised weights e^(s/T − max), and how many top-p keeps
    /// (the first always).</summary>
    internal static (int[] Ids, double[] Weights, int Kept) Distribution(Tensor logits, int row, GenerationOptions o)
    {
        int vocab = (int)logits.shape[1];
        if ((uint)row >= (ulong)logits.shape[0]) throw new ArgumentOutOfRangeException(nameof(row));
        int k = Math.Min(o.TopK, vocab);
        var values = new float[k];
        var ids = new int[k];
        int found = logits.dtype == ScalarType.BFloat16
            ? Select((ushort*)TensorMemory.Data(logits) + (long)row * vocab, null, vocab, values, ids)
            : Select(null, (float*)TensorMemory.Data(logits) + (long)row * vocab, vocab, values, ids);
        // Most likely first; equal logits by the lower id.
        var order = Enumerable.Range(0, found).OrderByDescending(i => values[i]).ThenBy(i => ids[i]).ToArray();
        var sortedIds = order.Select(i => ids[i]).ToArray();
        float temperature = (float)o.Temperature;
        var scaled = order.Select(i => values[i] / temperature).ToArray(); // scores / T in float32, as the tensor route
        var weights = new double[found];
        double total = 0;
        for (int i = 0; i < found; i++) total += weights[i] = Math.Exp(scaled[i] - scaled[0]);
        int kept = found;
        if (o.TopP < 1.0)
        {
            // A token stays while the mass of the more likely ones is below top_p.
            double before = 0;
            for (kept = 0; kept < found && (kept == 0 || before / total < o.TopP); kept++) before += weights[kept];
        }
        return (sortedIds, weights, kept);
    }

    /// <summary>The (up to) values.Length largest finite-or-infinite logits and their ids, in no order; NaN is skipped.
    /// A min-heap of the kept ones; a block of 16 logits is looked at one by one only when one beats the heap's least.</summary>
    static int Select(ushort* halves, float* floats, int vocab, float[] values, int[] ids)
    {
        int k = values.Length, count = 0, i = 0;
        float least = float.NegativeInfinity;
        void Offer(float value, int id, ref int count, ref float least)
        {
            if (float.IsNaN(value)) return;
            if (count < k)
            {
                values[count] = value; ids[count] = id; count++;
                SiftUp(values, ids, count - 1);
                if (count == k) least = values[0];
                return;
            }
            if (!Beats(value, id, values[0], ids[0])) return;
            values[0] = value; ids[0] = id;
            SiftDown(values, ids, k);
            least = values[0];
        }
        if (Avx512F.IsSupported)
            for (; i + 16 <= vocab; i += 16)
            {
                var block = halves is not null
                    ? Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512Int32(Vector256.Load(halves + i)).AsUInt32(), 16).AsSingle()
                    : Vector512.Load(floats + i);
                // Until the heap is full every logit is offered; then only blocks with one at least the heap's least.
                if (count == k && !Vector512.GreaterThanOrEqualAny(block, Vector512.Create(least)))
                    continue;
                for (int j = 0; j < 16; j++) Offer(block[j], i + j, ref count, ref least);
            }
        for (; i < vocab; i++) Offer(halves is not null ? TensorMemory.FromBfloat16(halves[i]) : floats[i], i, ref count, ref least);
        return count;
    }

    /// <summary>Whether (value, id) ranks above (other, otherId): larger, or equal with the lower id.</summary>
    static bool Beats(float value, int id, float other, int otherId) => value > other || value == other && id < otherId;

    static void SiftUp(float[] values, int[] ids, int at)
    {
        while (at > 0)
        {
            int parent = (at - 1) / 2;
            if (!Beats(values[parent], ids[parent], values[at], ids[at])) return;
            Swap(values, ids, at, parent);
            at = parent;
        }
    }

    static void SiftDown(float[] values, int[] ids, int count)
    {
        int at = 0;
        while (true)
        {
            int left = 2 * at + 1, right = left + 1, least = at;
            if (left < count && Beats(values[least], ids[least], values[left], ids[left])) least = left;
            if (right < count && Beats(values[least], ids[least], values[right], ids[right])) least = right;
            if (least == at) return;
            Swap(values, ids, at, least);
            at = least;
        }
    }

    static void Swap(float[] values, int[] ids, int a, int b)
    {
        (values[a], values[b]) = (values[b], values[a]);
        (ids[a], ids[b]) = (ids[b], ids[a]);
    }
}
