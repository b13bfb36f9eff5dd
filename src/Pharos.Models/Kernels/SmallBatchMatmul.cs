// Pharos's own matmul for decoding: y = x·Wᵀ (+ b) for a few rows (≤ 16) of bfloat16 activations and bfloat16 weights on
// a CPU with AVX-512. Decoding reads every weight once per step for one to a few tokens, so it is bound by memory: libtorch
// runs these shapes through general GEMM paths far below the memory bandwidth, this kernel streams each weight row once,
// widens it to float32 and takes its dot product with every input row (float32 accumulation, four partial sums over k in
// a fixed order, output rounded to bfloat16 to nearest even, as libtorch rounds). Each output element is computed the same
// way whatever the number of rows or threads, so a row's result does not depend on the rows decoded beside it.
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
        && !string.Equals(Environment.GetEnvironmentVariable("PHAROS_KERNELS"), "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>x·Wᵀ + b like nn.functional.linear, through this kernel when it applies (see the file header), else libtorch.</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null) =>
        Applies(x, weight, bias) ? Run(x, weight, bias) : nn.functional.linear(x, weight, bias);

    static bool Applies(Tensor x, Tensor weight, Tensor? bias)
    {
        if (!Enabled || weight.dtype != ScalarType.BFloat16 || x.dtype != ScalarType.BFloat16 || weight.device_type != TorchSharp.DeviceType.CPU)
            return false;
        long k = weight.shape[1];
        if (x.shape[^1] != k || x.numel() > MaxRows * k || x.numel() == 0 || k > 1 << 16 || weight.shape[0] > int.MaxValue) return false;
        if (is_grad_enabled() && (x.requires_grad || weight.requires_grad || bias is { requires_grad: true })) return false;
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
            var input = xs;
            var pool = KernelPool.Shared;
            int threads = pool.Threads;
            pool.Run(t =>
            {
                // Contiguous blocks of weight rows per thread, in multiples of 8 rows.
                int from = (int)((long)n * t / threads) & ~7, to = t == threads - 1 ? n : (int)((long)n * (t + 1) / threads) & ~7;
                Rows(input, m, k, ws, bs, from, to, n, ys);
            });
        }
        return output;
    }

    [SkipLocalsInit]
    static void Rows(float* x, int m, int k, ushort* w, ushort* bias, int from, int to, int n, ushort* y)
    {
        float* row = stackalloc float[k];
        for (int j = from; j < to; j++)
        {
            Widen(w + (long)j * k, row, k);
            float b = bias is null ? 0f : TensorMemory.FromBfloat16(bias[j]);
            for (int i = 0; i < m; i++)
                y[(long)i * n + j] = TensorMemory.ToBfloat16(Dot(row, x + (long)i * k, k) + b);
        }
    }

    /// <summary>bfloat16 → float32 is exact: the 16 bits become the high half of the float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Widen(ushort* source, float* target, int k)
    {
        int i = 0;
        for (; i + 16 <= k; i += 16)
            Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512Int32(Vector256.Load(source + i)).AsUInt32(), 16).AsSingle().Store(target + i);
        for (; i < k; i++) target[i] = BitConverter.Int32BitsToSingle(source[i] << 16);
    }

    /// <summary>Four independent partial sums over k in blocks of 64, added in a fixed order, then the tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Dot(float* a, float* b, int k)
    {
        Vector512<float> s0 = Vector512<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (; i + 64 <= k; i += 64)
        {
            s0 = Avx512F.FusedMultiplyAdd(Vector512.Load(a + i), Vector512.Load(b + i), s0);
            s1 = Avx512F.FusedMultiplyAdd(Vector512.Load(a + i + 16), Vector512.Load(b + i + 16), s1);
            s2 = Avx512F.FusedMultiplyAdd(Vector512.Load(a + i + 32), Vector512.Load(b + i + 32), s2);
            s3 = Avx512F.FusedMultiplyAdd(Vector512.Load(a + i + 48), Vector512.Load(b + i + 48), s3);
        }
        for (; i + 16 <= k; i += 16)
            s0 = Avx512F.FusedMultiplyAdd(Vector512.Load(a + i), Vector512.Load(b + i), s0);
        float sum = Vector512.Sum((s0 + s1) + (s2 + s3));
        for (; i < k; i++) sum = MathF.FusedMultiplyAdd(a[i], b[i], sum);
        return sum;
    }
}
