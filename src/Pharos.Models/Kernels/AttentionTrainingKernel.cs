// Self-attention of bf16 activations for training (causal, or under an additive mask such as packed documents'), forward
// and backward as one autograd op each. libtorch's CPU flash attention does its bf16 products through MKL, which on AMD
// CPUs widens them to float32 and takes its AVX2 path: `train-profile --micro` measured 25 ms a layer forward + backward
// at batch 4 × 256 (12 heads of 64), where the same products alone take 7 ms through libtorch's bmm (oneDNN's bf16
// kernels). Here the products go through bmm and the softmax and its gradient are one float32 pass over each row:
//   forward   S = q·kᵀ (bf16); p = softmax(S·scale + mask) in float32; P = bf16(p); O = P·v
//   backward  S again; dP = dO·vᵀ; p again from the saved row max and 1/sum (the same instructions on the same S give
//             the same bits); D = Σ p·dP; dS = bf16(p·(dP − D)·scale); dv = Pᵀ·dO; dq = dS·k; dk = dSᵀ·q
// This is transformers' eager attention under autocast (scores in bf16, softmax in float32, probabilities cast to bf16),
// the arithmetic the PyTorch peers train with. Like flash attention it saves O(T) per row (max and 1/sum), not the
// T×T probabilities: the scores exist only during a call, for a group of heads at a time (GroupElements). A causal row
// stops at its query (the keys after it are neither exponentiated nor multiplied into the sums); under a mask a row
// stops after its last allowed key. Masked keys get exactly 0. Gemma 2's soft-capping, cap·tanh(S·scale/cap) before the
// mask, is computed in the same pass (its derivative scale·(1 − tanh²) multiplies dS), in float32 where the eager ops
// round each step to bf16.
using System.Runtime.Intrinsics;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Pharos.Models.Kernels;

public static unsafe class AttentionTrainingKernel
{
    static readonly bool fromEnvironment = KernelEnvironment.On(KernelEnvironment.TrainingAttention);

    [ThreadStatic] static bool? chosen;

    /// <summary>False when PHAROS_TRAINING_ATTENTION=off (or PHAROS_KERNELS=off). Setting it holds for the calling thread
    /// only, as <see cref="TrainingKernels.Enabled"/> does, so a bench can alternate the two paths step by step.</summary>
    public static bool Enabled
    {
        get => chosen ?? fromEnvironment;
        set => chosen = value;
    }

    /// <summary>The most score elements (B·H·T·Tk) one group of heads computes at once: bounds the call's scratch memory
    /// (two bf16 tensors of this size in the backward pass, 64 MB at the default) whatever the sequence length.</summary>
    internal static long GroupElements { get; set; } = 1L << 24;

    /// <summary>Additive mask entries at or below this are "not allowed" (transformers fills them with the dtype's lowest).</summary>
    const float Disallowed = -1e30f;

    /// <summary>bf16 CPU q, k, v [B, H, T|Tk, D] in training (each key/value head already repeated per query head) with a
    /// plain causal mask (mask null, Tk = T) or an additive float32/bf16 mask [B|1, 1, T, Tk], on a CPU with AVX-512.</summary>
    public static bool Applies(Tensor q, Tensor k, Tensor v, Tensor? mask)
    {
        if (!Enabled || !TrainingKernels.Vectorized || InferenceKernels.Allowed) return false;
        if (q.dtype != ScalarType.BFloat16 || k.dtype != ScalarType.BFloat16 || v.dtype != ScalarType.BFloat16) return false;
        if (q.device_type != TorchSharp.DeviceType.CPU || k.device_type != TorchSharp.DeviceType.CPU || v.device_type != TorchSharp.DeviceType.CPU) return false;
        if (q.dim() != 4 || k.dim() != 4 || v.dim() != 4) return false;
        long b = q.shape[0], h = q.shape[1], t = q.shape[2], tk = k.shape[2];
        if (k.shape[0] != b || k.shape[1] != h || k.shape[3] != q.shape[3] || v.shape[0] != b || v.shape[1] != h || v.shape[2] != tk) return false;
        if (t < 2 || t * tk > GroupElements || tk > int.MaxValue - 64) return false;
        if (mask is null) return tk == t; // is_causal aligns query i with key i only when both have the same length
        return mask.dim() == 4 && (mask.shape[0] == 1 || mask.shape[0] == b) && mask.shape[1] == 1 && mask.shape[2] == t
            && mask.shape[3] == tk && mask.device_type == TorchSharp.DeviceType.CPU
            && mask.dtype is ScalarType.Float32 or ScalarType.BFloat16;
    }

    /// <summary>softmax(q·kᵀ·scale + mask)·v, causal when <paramref name="mask"/> is null, with the logits soft-capped as
    /// cap·tanh(logit / cap) when <paramref name="softcap"/> is set; [B, H, T, Dv] in bf16.</summary>
    public static Tensor Run(Tensor q, Tensor k, Tensor v, double scale, Tensor? mask, double? softcap = null) =>
        mask is null ? Function.Invoke(q, k, v, scale, softcap ?? 0.0) : Function.Invoke(q, k, v, scale, softcap ?? 0.0, mask);

    /// <summary>Where a call's rows are: sizes, the float32 mask [Bm, T, Tk] (null: causal) and each mask row's extent.</summary>
    sealed class Layout : IDisposable
    {
        public readonly long B, H, T, Tk;
        public readonly float Scale, Softcap; // Softcap 0: none
        readonly Tensor? Mask;
        readonly int[]? Extents;
        // Read per row, so kept as plain fields: a tensor's shape or data pointer is a native call (and an array) each time.
        readonly float* maskData;
        readonly bool maskBroadcast;

        public Layout(Tensor q, Tensor k, double scale, double softcap, Tensor? mask)
        {
            (B, H, T, Tk) = (q.shape[0], q.shape[1], q.shape[2], k.shape[2]);
            (Scale, Softcap) = ((float)scale, (float)softcap);
            if (mask is null) return;
            long maskBatch = mask.shape[0];
            using (NewDisposeScope())
                Mask = mask.to(ScalarType.Float32).reshape(maskBatch, T, Tk).contiguous().DetachFromDisposeScope();
            maskData = (float*)TensorMemory.Data(Mask);
            maskBroadcast = maskBatch == 1;
            Extents = new int[maskBatch * T];
            for (long row = 0; row < Extents.Length; row++)
            {
                float* m = maskData + row * Tk;
                int n = (int)Tk;
                while (n > 0 && m[n - 1] <= Disallowed) n--;
                // A row with nothing allowed keeps all its keys: libtorch's softmax then spreads it evenly, and so does this.
                Extents[row] = n == 0 ? (int)Tk : n;
            }
        }

        long MaskIndex(long b, long i) => (maskBroadcast ? 0 : b) * T + i;

        /// <summary>Keys row (b, i) computes: up to its query when causal, up to its last allowed key under a mask.</summary>
        public int Extent(long b, long i) => Extents is null ? (int)(i + 1) : Extents[MaskIndex(b, i)];

        public float* MaskRow(long b, long i) => maskData == null ? null : maskData + MaskIndex(b, i) * Tk;

        /// <summary>Groups of whole batch rows, or of heads within one batch row, each with at most GroupElements scores.</summary>
        public IEnumerable<(long B0, long Bn, long H0, long Hn)> Groups()
        {
            long perHead = T * Tk, perBatch = H * perHead;
            if (perBatch <= GroupElements)
            {
                long bn = Math.Max(1, GroupElements / perBatch);
                for (long b0 = 0; b0 < B; b0 += bn) yield return (b0, Math.Min(bn, B - b0), 0, H);
                yield break;
            }
            long hn = Math.Max(1, GroupElements / perHead);
            for (long b0 = 0; b0 < B; b0++)
                for (long h0 = 0; h0 < H; h0 += hn) yield return (b0, 1, h0, Math.Min(hn, H - h0));
        }

        public bool Whole((long B0, long Bn, long H0, long Hn) g) => g.Bn == B && g.Hn == H;

        public void Dispose() => Mask?.Dispose();
    }

    /// <summary><paramref name="t"/> itself when contiguous (the caller's), else a contiguous copy that is this call's own and
    /// is given over at once (AutogradHandoff disposes the wrapper only at the next release, after the forward returns).</summary>
    static Tensor Contiguous(Tensor t) => t.is_contiguous() ? t : AutogradHandoff.Give(t.contiguous());

    static Tensor Slice(Tensor t, (long B0, long Bn, long H0, long Hn) g) => t.narrow(0, g.B0, g.Bn).narrow(1, g.H0, g.Hn);

    sealed class Function : HandedOffFunction<Function>
    {
        public override string Name => "AttentionTraining";

        protected override Tensor Forward(AutogradContext ctx, object[] vars)
        {
            // Contiguous once: q and k come from the rotation, v from its projection, each [B, H, T, D] over [B, T, H, D]
            // memory, which every batched product would otherwise copy again (three here, four more in the backward).
            Tensor q = Contiguous((Tensor)vars[0]), k = Contiguous((Tensor)vars[1]), v = Contiguous((Tensor)vars[2]);
            var mask = vars.Length > 5 ? (Tensor)vars[5] : null;
            using var layout = new Layout(q, k, (double)vars[3], (double)vars[4], mask);
            var stats = empty([layout.B, layout.H, layout.T, 2], ScalarType.Float32, q.device); // row max, 1/sum
            Tensor? output = null;
            foreach (var g in layout.Groups())
            {
                using var scope = NewDisposeScope();
                var scores = Slice(q, g).matmul(Slice(k, g).transpose(2, 3)); // [Bn, Hn, T, Tk], contiguous
                Rows(layout, g, scores, null, stats, backward: false);
                var attended = scores.matmul(Slice(v, g));
                if (layout.Whole(g)) { output = attended.MoveToOuterDisposeScope(); break; }
                output ??= empty([layout.B, layout.H, layout.T, v.shape[3]], ScalarType.BFloat16, q.device).MoveToOuterDisposeScope();
                Slice(output, g).copy_(attended);
            }
            ctx.save_for_backward(mask is null ? [q, k, v, stats] : [q, k, v, stats, mask]);
            ctx.save_data("scale", vars[3]);
            ctx.save_data("softcap", vars[4]);
            AutogradHandoff.Give(stats);
            return output!;
        }

        protected override List<Tensor> Backward(AutogradContext ctx, List<Tensor> saved, Tensor gradOutput)
        {
            Tensor q = saved[0], k = saved[1], v = saved[2], stats = saved[3];
            var mask = saved.Count > 4 ? saved[4] : null;
            using var layout = new Layout(q, k, (double)ctx.get_data("scale"), (double)ctx.get_data("softcap"), mask);
            using var dOHere = gradOutput.dtype == ScalarType.BFloat16 && gradOutput.is_contiguous() ? null : TensorMemory.ContiguousBfloat16(gradOutput);
            var dO = dOHere ?? gradOutput;
            Tensor? dq = null, dk = null, dv = null;
            foreach (var g in layout.Groups())
            {
                using var scope = NewDisposeScope();
                Tensor qg = Slice(q, g), kg = Slice(k, g), vg = Slice(v, g), dOg = Slice(dO, g);
                var probabilities = qg.matmul(kg.transpose(2, 3)); // S, turned into P in place
                var scoreGrads = dOg.matmul(vg.transpose(2, 3));   // dP, turned into dS in place
                Rows(layout, g, probabilities, scoreGrads, stats, backward: true);
                var dvg = probabilities.transpose(2, 3).matmul(dOg);
                var dqg = scoreGrads.matmul(kg);
                var dkg = scoreGrads.transpose(2, 3).matmul(qg);
                if (layout.Whole(g))
                {
                    (dq, dk, dv) = (dqg.MoveToOuterDisposeScope(), dkg.MoveToOuterDisposeScope(), dvg.MoveToOuterDisposeScope());
                    break;
                }
                // The groups cover every batch row and head, so each element is written once.
                dq ??= empty(q.shape, ScalarType.BFloat16, q.device).MoveToOuterDisposeScope();
                dk ??= empty(k.shape, ScalarType.BFloat16, q.device).MoveToOuterDisposeScope();
                dv ??= empty(v.shape, ScalarType.BFloat16, q.device).MoveToOuterDisposeScope();
                Slice(dq, g).copy_(dqg);
                Slice(dk, g).copy_(dkg);
                Slice(dv, g).copy_(dvg);
            }
            return mask is null ? [dq!, dk!, dv!, null!, null!] : [dq!, dk!, dv!, null!, null!, null!];
        }
    }

    /// <summary>Every row of one group: forward turns the scores into probabilities in place and saves each row's max
    /// and 1/sum; backward recomputes the probabilities (written in place of the scores, for dv) and turns dP into dS.</summary>
    static void Rows(Layout layout, (long B0, long Bn, long H0, long Hn) g, Tensor scores, Tensor? grads, Tensor stats, bool backward)
    {
        // The rows are addressed as [rows, Tk] in memory: a matmul's fresh output is laid out so.
        if (!scores.is_contiguous() || grads is { } dP && !dP.is_contiguous())
            throw new InvalidOperationException("attention scores must be contiguous");
        var s = (ushort*)TensorMemory.Data(scores);
        var d = grads is null ? null : (ushort*)TensorMemory.Data(grads);
        var st = (float*)TensorMemory.Data(stats);
        long t = layout.T, tk = layout.Tk, rows = g.Bn * g.Hn * t;
        int padded = ((int)tk + 15) & ~15;
        var pool = KernelPool.Shared;
        int threads = pool.Threads;
        pool.Run(thread =>
        {
            fixed (float* x = TensorMemory.Scratch(0, padded))
            fixed (float* dp = TensorMemory.Scratch(1, padded))
            fixed (float* slope = TensorMemory.Scratch(2, padded))
                for (long r = rows * thread / threads, end = rows * (thread + 1) / threads; r < end; r++)
                {
                    long i = r % t, head = r / t, b = g.B0 + head / g.Hn, h = g.H0 + head % g.Hn;
                    float* stat = st + ((b * layout.H + h) * t + i) * 2;
                    int n = layout.Extent(b, i);
                    float* capSlope = backward && layout.Softcap > 0 ? slope : null;
                    Logits(s + r * tk, n, layout.Scale, layout.Softcap, layout.MaskRow(b, i), x, capSlope);
                    if (!backward) Forward(x, n, stat);
                    else
                    {
                        Backward(x, n, stat, d + r * tk, dp, layout.Scale, capSlope);
                        new Span<ushort>(d + r * tk + n, (int)(tk - n)).Clear();
                    }
                    TensorMemory.Write(x, s, bfloat16: true, r * tk, n);
                    new Span<ushort>(s + r * tk + n, (int)(tk - n)).Clear();
                }
        });
    }

    /// <summary>x[0, n) = S·scale (soft-capped when cap > 0) + mask for the row's first n keys; x[n, n rounded up to 16) =
    /// −∞. With <paramref name="slope"/>, also the soft-cap's derivative 1 − tanh² for each key.</summary>
    static void Logits(ushort* scores, int n, float scale, float cap, float* mask, float* x, float* slope)
    {
        TensorMemory.Read(scores, bfloat16: true, 0, x, n);
        int padded = (n + 15) & ~15;
        for (int j = n; j < padded; j++) x[j] = 0; // finite until the −∞ padding below, so tanh and the mask see numbers
        var vScale = Vector512.Create(scale);
        var vCap = Vector512.Create(cap);
        var vInverseCap = Vector512.Create(cap > 0 ? 1 / cap : 0);
        for (int j = 0; j < padded; j += 16)
        {
            var value = Vector512.Load(x + j) * vScale;
            if (cap > 0)
            {
                var t = Tanh(value * vInverseCap);
                value = vCap * t;
                if (slope != null) (Vector512<float>.One - t * t).Store(slope + j);
            }
            value.Store(x + j);
        }
        if (mask != null)
        {
            int full = n & ~15;
            for (int j = 0; j < full; j += 16) (Vector512.Load(x + j) + Vector512.Load(mask + j)).Store(x + j);
            for (int j = full; j < n; j++) x[j] += mask[j];
        }
        for (int j = n; j < padded; j++) x[j] = float.NegativeInfinity;
    }

    /// <summary>tanh(y) = sign(y)·(1 − 2/(e^{2|y|} + 1)): float32 accuracy but for |y| below ~1e-3, where the result, a
    /// logit of cap·y, is already within bf16 rounding of S's own; ±1 where e^{2|y|} leaves float range.</summary>
    static Vector512<float> Tanh(Vector512<float> y)
    {
        var magnitude = Vector512.Abs(y);
        var t = Vector512<float>.One - Vector512.Create(2f) / (VectorExp.Exp(magnitude + magnitude) + Vector512<float>.One);
        return Vector512.ConditionalSelect(Vector512.Create(0x8000_0000u).AsSingle(), y, t); // y's sign bit on |tanh|
    }

    /// <summary>x becomes p = softmax(x) over the padded row; the row's max and 1/sum go to stat.</summary>
    static void Forward(float* x, int n, float* stat)
    {
        int padded = (n + 15) & ~15;
        var vMax = Vector512.Create(float.NegativeInfinity);
        for (int j = 0; j < padded; j += 16) vMax = Vector512.Max(vMax, Vector512.Load(x + j));
        float max = float.NegativeInfinity;
        for (int l = 0; l < 16; l++) max = MathF.Max(max, vMax[l]);
        var m = Vector512.Create(max);
        var sum = Vector512<float>.Zero;
        for (int j = 0; j < padded; j += 16)
        {
            var e = VectorExp.ExpOrZero(Vector512.Load(x + j) - m); // masked keys and −∞ padding give exactly 0
            sum += e;
            e.Store(x + j);
        }
        float inverse = 1f / Vector512.Sum(sum);
        var vInverse = Vector512.Create(inverse);
        for (int j = 0; j < padded; j += 16) (Vector512.Load(x + j) * vInverse).Store(x + j);
        stat[0] = max;
        stat[1] = inverse;
    }

    /// <summary>x becomes p again (the forward's arithmetic from its saved max and 1/sum); the row's dP [0, n) becomes
    /// dS = p·(dP − Σ p·dP)·scale in place (the caller clears the rest).</summary>
    static void Backward(float* x, int n, float* stat, ushort* grads, float* dp, float scale, float* slope)
    {
        int padded = (n + 15) & ~15;
        var m = Vector512.Create(stat[0]);
        var vInverse = Vector512.Create(stat[1]);
        TensorMemory.Read(grads, bfloat16: true, 0, dp, n);
        for (int j = n; j < padded; j++) dp[j] = 0;
        var dot = Vector512<float>.Zero;
        for (int j = 0; j < padded; j += 16)
        {
            var p = VectorExp.ExpOrZero(Vector512.Load(x + j) - m) * vInverse;
            p.Store(x + j);
            dot += p * Vector512.Load(dp + j);
        }
        var total = Vector512.Create(Vector512.Sum(dot));
        var vScale = Vector512.Create(scale);
        for (int j = 0; j < padded; j += 16)
        {
            var grad = Vector512.Load(x + j) * (Vector512.Load(dp + j) - total) * vScale;
            if (slope != null) grad *= Vector512.Load(slope + j);
            grad.Store(dp + j);
        }
        TensorMemory.Write(dp, grads, bfloat16: true, 0, n);
    }
}
