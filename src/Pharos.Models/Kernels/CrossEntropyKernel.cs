// Softmax cross-entropy of bfloat16 logits and its gradient in one pass per row, for the LM-head loss in bf16 training.
// libtorch's path (logits cast to float32, log_softmax, nll, then the backward and a cast of the gradient back to bfloat16)
// reads and writes a [rows, vocab] float32 tensor some eight times; this kernel reads each bfloat16 row once, keeps it
// widened in a float32 buffer, and writes the gradient softmax − one_hot rounded to bfloat16 (nearest even) — the same
// float32 arithmetic as log_softmax with max subtraction, and the gradient the cast back to bfloat16 would give.
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Pharos.Models.Kernels;

public static unsafe class CrossEntropyKernel
{
    /// <summary>bf16 [rows, vocab] contiguous CPU logits and int64 targets (−100 = no loss), on a CPU with AVX-512.</summary>
    public static bool Applies(Tensor logits, Tensor targets) =>
        TrainingKernels.Vectorized && logits.dtype == ScalarType.BFloat16 && logits.dim() == 2 && logits.is_contiguous()
        && logits.device_type == TorchSharp.DeviceType.CPU && targets.dtype == ScalarType.Int64 && targets.dim() == 1
        && targets.shape[0] == logits.shape[0] && logits.shape[1] is > 0 and < int.MaxValue;

    /// <param name="rowScale">when given, row r's gradient is rowScale[r]·(softmax − one_hot), rounded to bf16 once: the
    /// gradient of Σ_r rowScale[r]·loss_r (the token log-probs' upstream gradient, negated)</param>
    /// <returns>the summed loss (float32 scalar) and, when <paramref name="wantGrad"/>, d(sum)/d(logits) in bfloat16 —
    /// written over <paramref name="logits"/> itself when <paramref name="inPlace"/> (each row is read whole before its
    /// gradient is written), so that no second [rows, vocab] tensor is made</returns>
    public static (Tensor LossSum, Tensor? Grad) Run(Tensor logits, Tensor targets, bool wantGrad, bool inPlace = false, float[]? rowScale = null)
    {
        int n = (int)logits.shape[0], v = (int)logits.shape[1];
        using var targetsHere = targets.is_contiguous() ? null : targets.contiguous();
        var ids = new long[n];
        (targetsHere ?? targets).data<long>().CopyTo(ids, 0);
        foreach (var id in ids)
            if (id != -100 && (id < 0 || id >= v)) throw new ArgumentException($"target {id} is out of range for {v} classes");
        var grad = !wantGrad ? null : inPlace ? logits : empty([n, v], ScalarType.BFloat16, logits.device);
        var source = (ushort*)TensorMemory.Data(logits);
        var target = grad is null ? null : (ushort*)TensorMemory.Data(grad);
        var losses = new double[n];
        var pool = KernelPool.Shared;
        int threads = pool.Threads;
        pool.Run(t =>
        {
            var row = TensorMemory.Scratch(3, v);
            fixed (float* buffer = row)
                for (int r = (int)((long)n * t / threads), end = (int)((long)n * (t + 1) / threads); r < end; r++)
                    losses[r] = Row(source + (long)r * v, v, ids[r], buffer, target is null ? null : target + (long)r * v, rowScale?[r] ?? 1f);
        });
        double sum = 0;
        foreach (var l in losses) sum += l; // in row order: the same total whatever the threads
        return (tensor((float)sum, ScalarType.Float32, logits.device), grad);
    }

    /// <summary>One row: its loss (0 for an ignored target), and softmax − one_hot written as bfloat16 when asked.</summary>
    static double Row(ushort* logits, int v, long targetId, float* x, ushort* grad, float scale)
    {
        if (targetId == -100)
        {
            if (grad is not null) new Span<ushort>(grad, v).Clear();
            return 0;
        }
        TensorMemory.Read(logits, bfloat16: true, 0, x, v);
        int i = 0;
        var maxV = Vector512.Create(float.NegativeInfinity);
        for (; i + 16 <= v; i += 16) maxV = Vector512.Max(maxV, Vector512.Load(x + i));
        float max = float.NegativeInfinity;
        for (int k = 0; k < 16; k++) max = MathF.Max(max, maxV[k]);
        for (; i < v; i++) max = MathF.Max(max, x[i]);
        // exp(x − max) kept in the buffer for the gradient; the sum in float32 lanes, as libtorch's vectorised reduction.
        var m = Vector512.Create(max);
        var sumV = Vector512<float>.Zero;
        i = 0;
        for (; i + 16 <= v; i += 16)
        {
            // VectorExp (within half a float ulp; .NET's Vector512.Exp widens to float64 and cost this kernel most of its
            // time), exactly 0 below float's range as a correctly rounded e^x would be.
            var e = VectorExp.ExpOrZero(Vector512.Load(x + i) - m);
            e.Store(x + i);
            sumV += e;
        }
        float sum = Vector512.Sum(sumV);
        for (; i < v; i++) { x[i] = MathF.Exp(x[i] - max); sum += x[i]; }
        float logSum = MathF.Log(sum);
        float targetLogit = TensorMemory.FromBfloat16(logits[targetId]);
        double loss = max + logSum - targetLogit;
        if (grad is null) return loss;
        float invSum = 1f / sum;
        var inv = Vector512.Create(invSum);
        i = 0;
        // Times the row's scale, 1 unless asked: multiplying by 1 is exact, so unscaled rows get softmax − one_hot's bits.
        var s = Vector512.Create(scale);
        for (; i + 16 <= v; i += 16) TensorMemory.StoreBfloat16(Vector512.Load(x + i) * inv * s, grad + i);
        for (; i < v; i++) grad[i] = TensorMemory.ToBfloat16(x[i] * invSum * scale);
        grad[targetId] = TensorMemory.ToBfloat16((x[targetId] * invSum - 1f) * scale);
        return loss;
    }
}
