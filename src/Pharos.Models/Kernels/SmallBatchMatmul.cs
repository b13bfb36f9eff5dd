// Pharos's own matmul for decoding: y = x·Wᵀ (+ b) for a few rows (≤ 16) of bfloat16 activations and bfloat16 weights on
// a CPU with AVX-512. Decoding reads every weight once per step for one to a few tokens, so it is bound by memory: libtorch
// runs these shapes through general GEMM paths far below the memory bandwidth, this kernel streams each weight row once,
// widens it to float32 and takes its dot product with every input row (float32 accumulation in a fixed order, output
// rounded to bfloat16 to nearest even, as libtorch rounds). Each output element is computed the same
// way whatever the number of rows or threads, so a row's result does not depend on the rows decoded beside it.
// (With one input row, each thread reads its weight rows one after the other as one sequential stream, prefetched ahead.
// With 8 or more, blocks of 8 input rows × 2 weight rows share each widened weight vector between 8 FMAs; with fewer,
// blocks of 4 weight rows × up to 4 input rows share each widened weight vector and input load in registers;
// the first block of input rows on each block of weight rows prefetches the next weight block, which more than doubles
// the rate one thread streams weights from memory at.)
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Pharos.Models.Kernels;

public static unsafe class SmallBatchMatmul
{
    /// <summary>Rows up to which the kernel is used; above it libtorch's GEMM (oneDNN's bf16 kernels) is faster.</summary>
    public const int MaxRows = 16;

    /// <summary>False when PHAROS_KERNELS=off (to compare with libtorch's own path) or the CPU lacks AVX-512.</summary>
    public static bool Enabled { get; set; } = Avx512F.IsSupported
        && KernelEnvironment.On(KernelEnvironment.Kernels);

    /// <summary>x·Wᵀ + b like nn.functional.linear, through this kernel when it applies (see the file header), else libtorch.</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null) =>
        Applies(x, weight, bias) ? Run(x, weight, bias) : nn.functional.linear(x, weight, bias);

    /// <summary>Inference only (gradient mode off), bf16 CPU tensors, ≤ MaxRows rows.</summary>
    public static bool Applies(Tensor x, Tensor weight, Tensor? bias)
    {
        if (!Enabled || weight.dtype != ScalarType.BFloat16 || x.dtype != ScalarType.BFloat16 || weight.device_type != TorchSharp.DeviceType.CPU)
            return false;
        long k = weight.shape[1];
        if (x.shape[^1] != k || x.numel() > MaxRows * k || x.numel() == 0 || k > 1 << 16 || weight.shape[0] > int.MaxValue) return false;
        if (!InferenceKernels.Allowed) return false; // training keeps libtorch's arithmetic, whatever requires a gradient
        return weight.is_contiguous() && (bias is null || bias.dtype == ScalarType.BFloat16 && bias.is_contiguous());
    }

    static Tensor Run(Tensor x, Tensor weight, Tensor? bias)
    {
        int k = (int)weight.shape[1], n = (int)weight.shape[0];
        int m = (int)(x.numel() / k);
        using var contiguous = x.is_contiguous() ? null : x.contiguous();
        var source = contiguous ?? x;
        var output = empty([.. x.shape[..^1], n], ScalarType.BFloat16, x.device);
        var ws = (ushort*)TensorMemory.Data(weight);
        var bs = bias is null ? null : (ushort*)TensorMemory.Data(bias);
        var ys = (ushort*)TensorMemory.Data(output);
        // The input rows widened to float32 once, in this thread's buffer, which the workers read during the call.
        fixed (float* xs = TensorMemory.Scratch(2, m * k))
        {
            TensorMemory.Read(TensorMemory.Data(source), bfloat16: true, 0, xs, m * k);
            Multiply(xs, m, k, ws, bs, n, ys);
        }
        return output;
    }

    /// <summary>y [m, n] = x [m, k] (float32 holding bfloat16 values) · Wᵀ [n, k] (+ bias), the weight rows split over the
    /// kernel pool's threads. Each thread owns one contiguous part, cut into <see cref="ChunksPerThread"/> chunks of whole
    /// blocks of 8 rows, and takes its chunks in order from its own counter; a thread that is done takes the chunks its
    /// neighbours have not started. On shared cores (a server's HTTP threads, its clients) a thread that loses its core
    /// for a while then no longer holds the whole call up: the other one finishes its part. Each thread's counter sits on
    /// its own cache line, so outside that last stretch no line moves between the cores (one counter for all, taken a
    /// share at a time, was measured slower at one row). Which thread computes an output does not change its bits.</summary>
    internal static void Multiply(float* x, int m, int k, ushort* w, ushort* bias, int n, ushort* y)
    {
        var pool = KernelPool.Shared;
        int threads = pool.Threads, chunks = threads * ChunksPerThread;
        bool steal = Stealing;
        var next = FreshClaims(threads);
        pool.Run(t =>
        {
            int turn = 0;
            for (int c; (c = NextClaim(t, threads, next, ref turn, steal)) >= 0;)
            {
                int from = (int)((long)n * c / chunks) & ~7, to = c == chunks - 1 ? n : (int)((long)n * (c + 1) / chunks) & ~7;
                Rows(x, m, k, w, bias, from, to, n, y);
            }
        });
    }

    /// <summary>The calling thread's counters, each set to its thread's first chunk, for one call's <see cref="NextClaim"/>.</summary>
    internal static int[] FreshClaims(int threads)
    {
        var next = claims is { } held && held.Length >= threads * ClaimStride ? held : claims = new int[threads * ClaimStride];
        ResetClaims(next, threads);
        return next;
    }

    /// <summary>Sets each thread's counter to its first chunk.</summary>
    internal static void ResetClaims(int[] next, int threads)
    {
        for (int t = 0; t < threads; t++) next[t * ClaimStride] = t * ChunksPerThread;
    }

    /// <summary>The next chunk for thread <paramref name="t"/>, or −1 when none is left: its own chunks in order, then, with
    /// <paramref name="steal"/> (as <paramref name="turn"/> moves on), those of the following threads that nobody has
    /// started; each chunk is claimed once, by whoever gets there first. Without it each thread does its own part.</summary>
    internal static int NextClaim(int t, int threads, int[] next, ref int turn, bool steal)
    {
        for (; turn < (steal ? threads : 1); turn++)
        {
            int owner = (t + turn) % threads;
            int c = Interlocked.Increment(ref next[owner * ClaimStride]) - 1;
            if (c < (owner + 1) * ChunksPerThread) return c;
        }
        return -1;
    }

    /// <summary>Whether <see cref="Multiply"/> lets a thread take the chunks another has not started (on), or keeps each
    /// thread to its own part (off: PHAROS_MATMUL_STEALING=off; `bench decode-profile --paired --steal` alternates the two).</summary>
    public static bool Stealing { get; set; } = KernelEnvironment.On(KernelEnvironment.MatmulStealing);

    internal const int ChunksPerThread = 8;

    /// <summary>Ints between two threads' counters: 128 bytes, two cache lines (the adjacent-line prefetcher pairs them).</summary>
    internal const int ClaimStride = 32;

    /// <summary>The calling thread's counters (calls from several threads take turns in the pool, each with its own; the
    /// decoding attention's calls share them, one call at a time).</summary>
    [ThreadStatic] static int[]? claims;

    /// <summary>Outputs of weight rows [from, to) for every input row. Each output (i, j) is one 16-lane float32 sum over
    /// the 16-wide blocks of k in order, then its lanes summed, then the k % 16 tail: the same arithmetic whichever block
    /// of inputs and weight rows computes it (blocks keep 4 weight rows and 4, 2 or 1 input rows in registers).</summary>
    // Never inlined: inlined into the chunk loop of Multiply, the JIT's code made the batch-8 step 4 ms slower (19.5 →
    // 23.4 ms, `decode-profile --paired --steal`).
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Rows(float* x, int m, int k, ushort* w, ushort* bias, int from, int to, int n, ushort* y)
    {
        int j = from;
        if (m == 1)
        {
            for (; j < to; j++) SingleStreamed(x, k, w, j, bias, n, y);
            return;
        }
        for (; j + 4 <= to; j += 4)
        {
            int i = 0;
            for (; i + 8 <= m; i += 8)
            {
                Block8x2(x, i, k, w, j, bias, n, y);
                Block8x2(x, i, k, w, j + 2, bias, n, y);
            }
            for (; i + 4 <= m; i += 4) Block4x4(x, i, k, w, j, bias, n, y);
            for (; i + 2 <= m; i += 2) Block2x4(x, i, k, w, j, bias, n, y);
            for (; i < m; i++) Block1x4(x, i, k, w, j, bias, n, y);
        }
        for (; j < to; j++)
            for (int i = 0; i < m; i++) Single(x, i, k, w, j, bias, n, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Widen(ushort* p) => TensorMemory.LoadBfloat16(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);

    /// <summary>Finishes output (i, j): the lanes, the k tail in order, the bias; rounded to bfloat16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(Vector512<float> acc, float* x, int i, int k, ushort* w, int j, ushort* bias, int n, ushort* y)
    {
        float sum = Vector512.Sum(acc);
        float* xi = x + (long)i * k;
        ushort* wj = w + (long)j * k;
        for (int t = k & ~15; t < k; t++) sum = MathF.FusedMultiplyAdd(xi[t], TensorMemory.FromBfloat16(wj[t]), sum);
        if (bias is not null) sum += TensorMemory.FromBfloat16(bias[j]);
        y[(long)i * n + j] = TensorMemory.ToBfloat16(sum);
    }

    /// <summary>Outputs (i, j..j+3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store4(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3, float* x, int i, int k, ushort* w, int j, ushort* bias, int n, ushort* y)
    {
        Store(a0, x, i, k, w, j, bias, n, y);
        Store(a1, x, i, k, w, j + 1, bias, n, y);
        Store(a2, x, i, k, w, j + 2, bias, n, y);
        Store(a3, x, i, k, w, j + 3, bias, n, y);
    }

    static void Single(float* x, int i, int k, ushort* w, int j, ushort* bias, int n, ushort* y)
    {
        float* xi = x + (long)i * k;
        ushort* wj = w + (long)j * k;
        var acc = Vector512<float>.Zero;
        for (int t = 0; t + 16 <= k; t += 16) acc = Fma(Vector512.Load(xi + t), Widen(wj + t), acc);
        Store(acc, x, i, k, w, j, bias, n, y);
    }

    /// <summary>Output (0, j) for one input row, reading weight row j straight after row j − 1: with one input row the
    /// thread's weights are then one sequential stream, which this CPU's prefetchers follow best (measured 1.1–1.25x the
    /// rate of 4 rows read side by side, interleaved in one process); the software prefetch keeps 512 bytes ahead.</summary>
    static void SingleStreamed(float* x, int k, ushort* w, int j, ushort* bias, int n, ushort* y)
    {
        ushort* wj = w + (long)j * k;
        var acc = Vector512<float>.Zero;
        for (int t = 0; t + 16 <= k; t += 16)
        {
            if ((t & 31) == 0) Sse.Prefetch0(wj + t + StreamAhead); // one cache line (32 weights) per two steps
            acc = Fma(Vector512.Load(x + t), Widen(wj + t), acc);
        }
        Store(acc, x, 0, k, w, j, bias, n, y);
    }

    /// <summary>Prefetch distance of <see cref="SingleStreamed"/> in weights (512 bytes); past the last row it touches
    /// nothing (a prefetch never faults).</summary>
    const int StreamAhead = 256;

    static void Block1x4(float* x, int i, int k, ushort* w, int j, ushort* bias, int n, ushort* y)
    {
        float* x0 = x + (long)i * k;
        ushort* w0 = w + (long)j * k, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
        Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, a2 = a0, a3 = a0;
        bool prefetch = i == 0;
        for (int t = 0; t + 16 <= k; t += 16)
        {
            if (prefetch) PrefetchNext(w0, k, t);
            var v = Vector512.Load(x0 + t);
            a0 = Fma(v, Widen(w0 + t), a0);
            a1 = Fma(v, Widen(w1 + t), a1);
            a2 = Fma(v, Widen(w2 + t), a2);
            a3 = Fma(v, Widen(w3 + t), a3);
        }
        Store4(a0, a1, a2, a3, x, i, k, w, j, bias, n, y);
    }

    static void Block2x4(float* x, int i, int k, ushort* w, int j, ushort* bias, int n, ushort* y)
    {
        float* x0 = x + (long)i * k, x1 = x0 + k;
        ushort* w0 = w + (long)j * k, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
        Vector512<float> a00 = Vector512<float>.Zero, a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        bool prefetch = i == 0;
        for (int t = 0; t + 16 <= k; t += 16)
        {
            if (prefetch) PrefetchNext(w0, k, t);
            Vector512<float> b0 = Widen(w0 + t), b1 = Widen(w1 + t), b2 = Widen(w2 + t), b3 = Widen(w3 + t);
            var v = Vector512.Load(x0 + t);
            a00 = Fma(v, b0, a00); a01 = Fma(v, b1, a01); a02 = Fma(v, b2, a02); a03 = Fma(v, b3, a03);
            v = Vector512.Load(x1 + t);
            a10 = Fma(v, b0, a10); a11 = Fma(v, b1, a11); a12 = Fma(v, b2, a12); a13 = Fma(v, b3, a13);
        }
        Store4(a00, a01, a02, a03, x, i, k, w, j, bias, n, y);
        Store4(a10, a11, a12, a13, x, i + 1, k, w, j, bias, n, y);
    }

    static void Block4x4(float* x, int i, int k, ushort* w, int j, ushort* bias, int n, ushort* y)
    {
        float* x0 = x + (long)i * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k;
        ushort* w0 = w + (long)j * k, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
        Vector512<float> a00 = Vector512<float>.Zero, a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00,
            a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        bool prefetch = i == 0;
        for (int t = 0; t + 16 <= k; t += 16)
        {
            if (prefetch) PrefetchNext(w0, k, t);
            Vector512<float> b0 = Widen(w0 + t), b1 = Widen(w1 + t), b2 = Widen(w2 + t), b3 = Widen(w3 + t);
            var v = Vector512.Load(x0 + t);
            a00 = Fma(v, b0, a00); a01 = Fma(v, b1, a01); a02 = Fma(v, b2, a02); a03 = Fma(v, b3, a03);
            v = Vector512.Load(x1 + t);
            a10 = Fma(v, b0, a10); a11 = Fma(v, b1, a11); a12 = Fma(v, b2, a12); a13 = Fma(v, b3, a13);
            v = Vector512.Load(x2 + t);
            a20 = Fma(v, b0, a20); a21 = Fma(v, b1, a21); a22 = Fma(v, b2, a22); a23 = Fma(v, b3, a23);
            v = Vector512.Load(x3 + t);
            a30 = Fma(v, b0, a30); a31 = Fma(v, b1, a31); a32 = Fma(v, b2, a32); a33 = Fma(v, b3, a33);
        }
        Store4(a00, a01, a02, a03, x, i, k, w, j, bias, n, y);
        Store4(a10, a11, a12, a13, x, i + 1, k, w, j, bias, n, y);
        Store4(a20, a21, a22, a23, x, i + 2, k, w, j, bias, n, y);
        Store4(a30, a31, a32, a33, x, i + 3, k, w, j, bias, n, y);
    }

    /// <summary>Outputs (i..i+7, j..j+1): 16 sums in registers, each widened weight vector used by 8 FMAs (twice the
    /// 4 × 4 block's share, measured 1.17x over all of the model's weights at 8 rows and 1.12x the whole step). The first
    /// block of input rows prefetches the next two weight rows.</summary>
    static void Block8x2(float* x, int i, int k, ushort* w, int j, ushort* bias, int n, ushort* y)
    {
        float* x0 = x + (long)i * k;
        ushort* w0 = w + (long)j * k, w1 = w0 + k;
        Vector512<float> a00 = Vector512<float>.Zero, a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00,
            a40 = a00, a41 = a00, a50 = a00, a51 = a00, a60 = a00, a61 = a00, a70 = a00, a71 = a00;
        bool prefetch = i == 0;
        for (int t = 0; t + 16 <= k; t += 16)
        {
            if (prefetch) Sse.Prefetch0(w0 + 2L * k + 2 * t); // the next two rows' line that matches this step's 2 × 32 bytes
            Vector512<float> b0 = Widen(w0 + t), b1 = Widen(w1 + t);
            float* xt = x0 + t;
            var v = Vector512.Load(xt); a00 = Fma(v, b0, a00); a01 = Fma(v, b1, a01);
            v = Vector512.Load(xt + k); a10 = Fma(v, b0, a10); a11 = Fma(v, b1, a11);
            v = Vector512.Load(xt + 2 * k); a20 = Fma(v, b0, a20); a21 = Fma(v, b1, a21);
            v = Vector512.Load(xt + 3 * k); a30 = Fma(v, b0, a30); a31 = Fma(v, b1, a31);
            v = Vector512.Load(xt + 4 * k); a40 = Fma(v, b0, a40); a41 = Fma(v, b1, a41);
            v = Vector512.Load(xt + 5 * k); a50 = Fma(v, b0, a50); a51 = Fma(v, b1, a51);
            v = Vector512.Load(xt + 6 * k); a60 = Fma(v, b0, a60); a61 = Fma(v, b1, a61);
            v = Vector512.Load(xt + 7 * k); a70 = Fma(v, b0, a70); a71 = Fma(v, b1, a71);
        }
        Store2(a00, a01, x, i, k, w, j, bias, n, y);
        Store2(a10, a11, x, i + 1, k, w, j, bias, n, y);
        Store2(a20, a21, x, i + 2, k, w, j, bias, n, y);
        Store2(a30, a31, x, i + 3, k, w, j, bias, n, y);
        Store2(a40, a41, x, i + 4, k, w, j, bias, n, y);
        Store2(a50, a51, x, i + 5, k, w, j, bias, n, y);
        Store2(a60, a61, x, i + 6, k, w, j, bias, n, y);
        Store2(a70, a71, x, i + 7, k, w, j, bias, n, y);
    }

    /// <summary>Outputs (i, j..j+1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store2(Vector512<float> a0, Vector512<float> a1, float* x, int i, int k, ushort* w, int j, ushort* bias, int n, ushort* y)
    {
        Store(a0, x, i, k, w, j, bias, n, y);
        Store(a1, x, i, k, w, j + 1, bias, n, y);
    }

    /// <summary>Asks for the two cache lines of the next block of 4 weight rows (after <paramref name="w0"/>'s) that
    /// match step <paramref name="t"/> of this block's 4 rows, so the next block is in cache when its turn comes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void PrefetchNext(ushort* w0, int k, int t)
    {
        ushort* ahead = w0 + 4L * k + 4 * t;
        Sse.Prefetch0(ahead);
        Sse.Prefetch0(ahead + 32);
    }
}
