// One decoding step of one attention layer for rows that each hold their own sequence in a RowKvCache: rotates the
// row's new query and key (rotate-half RoPE with the step's cos/sin, rounded per op as eager code does), writes the key
// and value to the row's next cache slot, and attends over the row's slots (within the sliding window, with Gemma 2's
// tanh soft-capping if set) in float32, reading the cache once, without a mask, a repeat of grouped key/value heads or
// libtorch's attention kernels (which are slow for one bfloat16 query). Work is split by (row, key/value head), so
// a row's result does not depend on the other rows.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Pharos.Models.Kernels;

internal static unsafe class DecodeAttentionKernel
{
    public sealed record Shape(int Heads, int KvHeads, int HeadDim, double Scale, double? Softcap);

    public static bool Applies(Tensor qkv, Tensor cos, Tensor keys) =>
        SmallBatchMatmul.Enabled && TensorMemory.Readable(qkv) && TensorMemory.Readable(cos) && TensorMemory.Readable(keys)
        && qkv.dtype == keys.dtype && cos.dtype == keys.dtype && InferenceKernels.Allowed;

    /// <param name="qkv">[R, 1, (heads + 2·kvHeads)·headDim]: the fused projection of each row's new token.</param>
    /// <param name="cos">[R, 1, 1, headDim] in the model dtype (as CausalLM computes them).</param>
    /// <param name="keys">[rows, kvHeads, capacity, headDim] cache of this layer (values alike).</param>
    /// <param name="positions">Per row: the slot (and position) of its new token, or −1 for a row not decoding.</param>
    /// <returns>[R, 1, heads·headDim] in the model dtype (rows not decoding are zero).</returns>
    public static Tensor Run(Tensor qkv, Tensor cos, Tensor sin, Tensor keys, Tensor values, long[] positions, int? window, Shape shape)
    {
        int rows = (int)qkv.shape[0];
        var output = empty([rows, 1, shape.Heads * shape.HeadDim], qkv.dtype, qkv.device);
        Attend(TensorMemory.Data(qkv), TensorMemory.Data(cos), TensorMemory.Data(sin), TensorMemory.Data(keys), TensorMemory.Data(values),
            TensorMemory.Data(output), qkv.dtype == ScalarType.BFloat16, rows, keys.shape[2], positions, window, shape);
        return output;
    }

    /// <summary><see cref="Run"/> on raw memory: <paramref name="input"/> [rows, (heads + 2·kvHeads)·headDim], cos/sin
    /// [rows, headDim], the layer's caches [rows, kvHeads, capacity, headDim], <paramref name="result"/> [rows, heads·headDim].</summary>
    public static void Attend(void* input, void* cosines, void* sines, void* cacheKeys, void* cacheValues, void* result, bool bf16,
        int rows, long capacity, long[] positions, int? window, Shape shape)
    {
        int h = shape.Heads, kv = shape.KvHeads, d = shape.HeadDim, groups = h / kv;
        long width = (long)(h + 2 * kv) * d;
        int items = rows * kv;
        var pool = KernelPool.Shared;
        int threads = Math.Min(pool.Threads, items);
        // The items are cut into chunks that each thread takes in turn and, once its own are done, takes those the other
        // has not started: the decoding matmul's claims (SmallBatchMatmul.NextClaim, under its switch Stealing). Rows
        // attend over caches of different lengths (a server's rows are at different points of their prompts and outputs),
        // so fixed halves could leave one thread waiting; and a thread that loses its core for a while should not hold
        // the call up. Each item's arithmetic is the same whoever computes it.
        bool steal = SmallBatchMatmul.Stealing;
        int chunks = threads * SmallBatchMatmul.ChunksPerThread;
        var claims = SmallBatchMatmul.FreshClaims(threads);
        Action<int> work = t =>
        {
            int longest = (int)Math.Min(capacity, positions.Max() + 1);
            fixed (float* scratch = TensorMemory.Scratch(1, 6 * d + longest))
            {
                float* c = scratch, s = c + d, q = s + d, k = q + d, v = k + d, acc = v + d, scores = acc + d;
                int turn = 0;
                for (int chunk; (chunk = SmallBatchMatmul.NextClaim(t, threads, claims, ref turn, steal)) >= 0;)
                for (int item = items * chunk / chunks; item < items * (chunk + 1) / chunks; item++)
                {
                    int row = item / kv, group = item % kv;
                    long position = positions[row];
                    if (position < 0)
                    {
                        new Span<float>(acc, d).Clear();
                        for (int g = 0; g < groups; g++) TensorMemory.Write(acc, result, bf16, ((long)row * h + group * groups + g) * d, d);
                        continue;
                    }
                    TensorMemory.Read(cosines, bf16, (long)row * d, c, d);
                    TensorMemory.Read(sines, bf16, (long)row * d, s, d);
                    long slot = ((long)row * kv + group) * capacity;
                    // The new key (rotated) and value go to the row's next slot before attending, as the cache append does.
                    TensorMemory.Read(input, bf16, row * width + (long)(h + group) * d, k, d);
                    Rotate(k, c, s, d, bf16);
                    TensorMemory.Write(k, cacheKeys, bf16, (slot + position) * d, d);
                    TensorMemory.Read(input, bf16, row * width + (long)(h + kv + group) * d, v, d);
                    TensorMemory.Write(v, cacheValues, bf16, (slot + position) * d, d);
                    long first = window is int w ? Math.Max(0, position - w + 1) : 0;
                    int count = (int)(position - first + 1);
                    for (int g = 0; g < groups; g++)
                    {
                        int head = group * groups + g;
                        TensorMemory.Read(input, bf16, row * width + (long)head * d, q, d);
                        Rotate(q, c, s, d, bf16);
                        float max = float.NegativeInfinity;
                        for (int j = 0; j < count; j++)
                        {
                            float score = Dot(q, cacheKeys, bf16, (slot + first + j) * d, d) * (float)shape.Scale;
                            if (shape.Softcap is double cap) score = MathF.Tanh(score / (float)cap) * (float)cap;
                            scores[j] = score;
                            max = Math.Max(max, score);
                        }
                        float total = Exponentiate(scores, count, max);
                        new Span<float>(acc, d).Clear();
                        for (int j = 0; j < count; j++)
                            AddScaled(acc, scores[j] / total, cacheValues, bf16, (slot + first + j) * d, d);
                        TensorMemory.Write(acc, result, bf16, ((long)row * h + head) * d, d);
                    }
                }
            }
        };
        if (threads <= 1) work(0);
        else pool.Run(t => { if (t < threads) work(t); });
    }

    /// <summary>scores[j] = e^(scores[j] − max), returning their sum: 16 lanes at a time with VectorExp (a float32 e^x
    /// within a few ulps of MathF.Exp's correctly rounded one), the sum in 16 lanes then across them.</summary>
    static float Exponentiate(float* scores, int count, float max)
    {
        int j = 0;
        float total = 0;
        if (Avx512F.IsSupported)
        {
            var top = Vector512.Create(max);
            var sum = Vector512<float>.Zero;
            for (; j + 16 <= count; j += 16)
            {
                var e = VectorExp.Exp(Vector512.Load(scores + j) - top);
                e.Store(scores + j);
                sum += e;
            }
            total = Vector512.Sum(sum);
        }
        for (; j < count; j++) total += scores[j] = MathF.Exp(scores[j] - max);
        return total;
    }

    /// <summary>q · (cached row at <paramref name="offset"/>), float32 sums in 16 lanes then across them.</summary>
    static float Dot(float* q, void* cache, bool bf16, long offset, int d)
    {
        int i = 0;
        var sum = Vector512<float>.Zero;
        if (Avx512F.IsSupported)
            for (; i + 16 <= d; i += 16)
                sum = Avx512F.FusedMultiplyAdd(Vector512.Load(q + i), Load16(cache, bf16, offset + i), sum);
        float total = Vector512.Sum(sum);
        for (; i < d; i++) total += q[i] * (bf16 ? TensorMemory.FromBfloat16(((ushort*)cache)[offset + i]) : ((float*)cache)[offset + i]);
        return total;
    }

    /// <summary>acc += p · (cached row at <paramref name="offset"/>).</summary>
    static void AddScaled(float* acc, float p, void* cache, bool bf16, long offset, int d)
    {
        int i = 0;
        if (Avx512F.IsSupported)
        {
            var scale = Vector512.Create(p);
            for (; i + 16 <= d; i += 16)
                Avx512F.FusedMultiplyAdd(scale, Load16(cache, bf16, offset + i), Vector512.Load(acc + i)).Store(acc + i);
        }
        for (; i < d; i++) acc[i] += p * (bf16 ? TensorMemory.FromBfloat16(((ushort*)cache)[offset + i]) : ((float*)cache)[offset + i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Load16(void* data, bool bf16, long offset) => bf16
        ? TensorMemory.LoadBfloat16((ushort*)data + offset)
        : Vector512.Load((float*)data + offset);

    /// <summary>x·cos + rotate_half(x)·sin with each product and the sum rounded to the model dtype, as eager code computes it.</summary>
    static void Rotate(float* x, float* cos, float* sin, int d, bool bf16)
    {
        int half = d / 2;
        Span<float> rotated = stackalloc float[d];
        for (int i = 0; i < half; i++) { rotated[i] = -x[i + half]; rotated[i + half] = x[i]; }
        for (int i = 0; i < d; i++)
            x[i] = TensorMemory.Round(TensorMemory.Round(x[i] * cos[i], bf16) + TensorMemory.Round(rotated[i] * sin[i], bf16), bf16);
    }
}
