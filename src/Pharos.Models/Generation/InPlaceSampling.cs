// Sampling with top-k and/or top-p (after the temperature; transformers' order) for one row of CPU logits, read in
// place, without the tensor route's ten libtorch calls per row (index_select, cast, divide, softmax over the whole
// vocabulary, topk, normalise, cumsum, mask, multinomial, copy back: ~0.26 ms a row, 10% of a decoding step of 8 sampled
// rows).
// - top-k (k ≤ 256): one pass keeps the k largest logits in a heap; only those are exponentiated, sorted and drawn from
//   (the softmax of the vocabulary restricted to the top k and renormalised is the softmax of those k logits).
// - top-p alone: the 256 largest as candidates (LogitsProcessor's nucleus candidates) and the softmax's denominator over
//   the whole vocabulary in one vectorised pass; a nucleus that reaches past them (a nearly flat distribution) goes the
//   tensor route.
// One uniform per draw, from the row's own generator when seeded, inverted through the candidates' cumulative weights,
// most likely first. Plain sampling (neither top-k nor top-p) stays on libtorch's multinomial: done in place, it broke the
// GRPO test that trains on 1, 2 and 3 ranks (whose weights differ by float summation order, ~1e-7), most likely because
// inverting the cumulative weights of the whole vocabulary adds such changes up over thousands of terms until a draw
// moves, where multinomial's exponential race (the largest p/q, q ~ Exp(1) per token) is not moved by them.
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Pharos.Models.Kernels;
using static TorchSharp.torch;

namespace Pharos.Models.Generation;

public static unsafe class InPlaceSampling
{
    /// <summary>Off sends every sampled row through the tensor route (PHAROS_INPLACE_SAMPLING=off; `bench decode-profile
    /// --paired --sampling` alternates).</summary>
    public static bool Enabled { get; set; } = KernelEnvironment.On(KernelEnvironment.InPlaceSampling);

    /// <summary>Largest top_k taken in place (top-p alone looks at LogitsProcessor's nucleus candidates, as its route does).</summary>
    public const int MaxK = 256;

    /// <summary>Sampled rows (temperature &gt; 0) with 0 &lt; top_k ≤ <see cref="MaxK"/> or top_p &lt; 1, no repetition
    /// penalty, on CPU float32/bf16 logits [N, vocab], on a CPU with AVX-512.</summary>
    internal static bool Applies(Tensor logits, GenerationOptions o) =>
        Enabled && Avx512F.IsSupported && !o.Greedy && o.TopK <= MaxK && (o.TopK > 0 || o.TopP < 1.0) && o.RepetitionPenalty == 1.0
        && logits.dim() == 2 && TensorMemory.Readable(logits);

    /// <summary>The token drawn from row <paramref name="row"/> with <paramref name="uniform"/> in [0, 1), or null where the
    /// tensor route must decide (a top-p nucleus beyond the candidates, or logits that are NaN or all −∞).</summary>
    internal static int? Choose(Tensor logits, int row, GenerationOptions o, double uniform)
    {
        if (o.TopK == 0 && o.TopP >= 1.0) throw new ArgumentException("plain sampling goes through the tensor route", nameof(o));
        var (ids, weights, kept) = Distribution(logits, row, o);
        if (kept < 0) return null;
        double mass = 0, cumulative = 0;
        for (int i = 0; i < kept; i++) mass += weights[i];
        if (!(mass > 0) || !double.IsFinite(mass)) return null;
        double target = uniform * mass;
        for (int i = 0; i < kept; i++)
        {
            cumulative += weights[i];
            if (cumulative > target) return ids[i];
        }
        return ids[kept - 1]; // rounding left the target at the very end
    }

    /// <summary>The candidates, most likely first (equal logits by the lower id): ids, weights e^(s/T − max) and how many
    /// top-p keeps (the first always); kept −1 when top-p alone needs more than the candidates or the vocabulary's mass is
    /// not finite.</summary>
    internal static (int[] Ids, double[] Weights, int Kept) Distribution(Tensor logits, int row, GenerationOptions o)
    {
        var source = Row.Of(logits, row);
        int k = Math.Min(o.TopK > 0 ? o.TopK : LogitsProcessor.NucleusCandidates, source.Vocab);
        var values = new float[k];
        var ids = new int[k];
        int found = source.Select(values, ids);
        var order = Enumerable.Range(0, found).OrderByDescending(i => values[i]).ThenBy(i => ids[i]).ToArray();
        var sortedIds = order.Select(i => ids[i]).ToArray();
        float inverse = 1f / (float)o.Temperature;
        var scaled = order.Select(i => values[i] * inverse).ToArray(); // s/T as the partition below computes it
        var weights = new double[found];
        double total = 0;
        for (int i = 0; i < found; i++) total += weights[i] = float.IsNegativeInfinity(scaled[i]) ? 0 : Math.Exp(scaled[i] - scaled[0]);
        if (o.TopK == 0)
        {
            total = found > 0 ? source.Partition(o, scaled[0]) : 0; // top-p alone: the whole vocabulary's mass
            if (!(total > 0) || !double.IsFinite(total)) return (sortedIds, weights, -1); // a NaN among the logits
        }
        int kept = found;
        if (o.TopP < 1.0)
        {
            // A token stays while the mass of the more likely ones is below top_p.
            double before = 0;
            for (kept = 0; kept < found && (kept == 0 || before / total < o.TopP); kept++) before += weights[kept];
            if (o.TopK == 0 && kept == found && before / total < o.TopP && found < source.Vocab) kept = -1;
        }
        return (sortedIds, weights, kept);
    }

    /// <summary>One row of logits in place.</summary>
    readonly struct Row(ushort* halves, float* floats, int vocab)
    {
        public int Vocab => vocab;

        public static Row Of(Tensor logits, int row)
        {
            int vocab = (int)logits.shape[1];
            if ((uint)row >= (ulong)logits.shape[0]) throw new ArgumentOutOfRangeException(nameof(row));
            return logits.dtype == ScalarType.BFloat16
                ? new Row((ushort*)TensorMemory.Data(logits) + (long)row * vocab, null, vocab)
                : new Row(null, (float*)TensorMemory.Data(logits) + (long)row * vocab, vocab);
        }

        public float this[int i] => halves is not null ? TensorMemory.FromBfloat16(halves[i]) : floats[i];

        // Portable vector operations (the same results without AVX-512, where only the tests run this).
        public Vector512<float> Block(int i)
        {
            if (halves is null) return Vector512.Load(floats + i);
            var (lower, upper) = Vector256.Widen(Vector256.Load(halves + i));
            return Vector512.ShiftLeft(Vector512.Create(lower, upper), 16).AsSingle();
        }

        /// <summary>e^(s/T − top) of one block, −∞ logits giving 0.</summary>
        Vector512<float> Weights(int i, float inverse, float top)
        {
            var block = Block(i);
            var e = VectorExp.Exp(block * Vector512.Create(inverse) - Vector512.Create(top));
            return Vector512.ConditionalSelect(Vector512.Equals(block, Vector512.Create(float.NegativeInfinity)), Vector512<float>.Zero, e);
        }

        static double Weight(float value, float inverse, float top) =>
            float.IsNegativeInfinity(value) ? 0 : Math.Exp(value * inverse - top);

        /// <summary>Σ e^(s/T − top) over the row: 16 float32 lanes per block, the blocks summed in float64.</summary>
        public double Partition(GenerationOptions o, float top)
        {
            float inverse = 1f / (float)o.Temperature;
            double total = 0;
            int i = 0;
            for (; i + 16 <= vocab; i += 16) total += Vector512.Sum(Weights(i, inverse, top));
            for (; i < vocab; i++) total += Weight(this[i], inverse, top);
            return total;
        }

        /// <summary>The (up to) values.Length largest logits and their ids, in no order; NaN is skipped. A min-heap of the
        /// kept ones; a block of 16 is looked at one by one only when one of them reaches the heap's least.</summary>
        public int Select(float[] values, int[] ids)
        {
            int k = values.Length, count = 0, i = 0;
            float least = float.NegativeInfinity;
            for (; i + 16 <= vocab; i += 16)
            {
                var block = Block(i);
                if (count == k && !Vector512.GreaterThanOrEqualAny(block, Vector512.Create(least))) continue;
                for (int j = 0; j < 16; j++) Offer(values, ids, block[j], i + j, ref count, ref least);
            }
            for (; i < vocab; i++) Offer(values, ids, this[i], i, ref count, ref least);
            return count;
        }
    }

    static void Offer(float[] values, int[] ids, float value, int id, ref int count, ref float least)
    {
        int k = values.Length;
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
