// AutogradHandoff: a custom autograd function's outputs and gradients leave no tensor handle behind in the caller's dispose
// scope once the next call releases them — the handles one libtorch op leaves (its output) plus the one TorchSharp itself
// keeps per output while the output lives (an empty_like "output cache" in its node), not one per tensor the function
// made or was handed (which kept every layer's gradients alive to the end of a training micro-batch).
using Pharos.Models.Kernels;
using Pharos.Tests;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Kernels;

public class AutogradHandoffTests
{
    [Fact]
    public void Given_tensors_leave_the_dispose_scope_and_are_disposed_at_the_next_release()
    {
        using var scope = NewDisposeScope();
        var given = AutogradHandoff.Give(ones(4));
        var kept = ones(4);
        Assert.False(given.IsInvalid);
        scope.Dispose();
        Assert.True(kept.IsInvalid);
        Assert.False(given.IsInvalid); // no longer the scope's
        AutogradHandoff.Release();
        Assert.True(given.IsInvalid);
        AutogradHandoff.Release(); // nothing pending: no-op
    }

    const int TorchSharpOutputCache = 1;

    /// <summary>Handles left alive by forward, a float32 sum and backward of <paramref name="op"/> on fresh leaves.</summary>
    static long LeftByStep(Func<Tensor, Tensor, Tensor> op, Tensor x0, Tensor w0)
    {
        using var scope = NewDisposeScope();
        var x = x0.clone().requires_grad_(true);
        var w = w0.clone().requires_grad_(true);
        return LiveHandles.LeftBy(() =>
        {
            var loss = op(x, w).to(float32).sum();
            loss.backward();
            AutogradHandoff.Release();
        });
    }

    [Fact]
    public void Rms_norm_training_kernel_leaves_the_handles_of_one_libtorch_op()
    {
        using var x = randn([8, 4, 64]).to(bfloat16);
        using var w = ones([64]);
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported && TrainingKernels.Enabled, RmsNormTrainingKernel.Applies(x, w, addsOne: false));
        if (!RmsNormTrainingKernel.Applies(x, w, addsOne: false)) return;
        long ours = LeftByStep((a, b) => RmsNormTrainingKernel.Run(a, b, 1e-6), x, w);
        long libtorch = LeftByStep((a, _) => a * 2, x, w);
        Assert.Equal(libtorch + TorchSharpOutputCache, ours);
    }

    [Fact]
    public void Attention_training_kernel_leaves_the_handles_of_one_libtorch_op()
    {
        using var x = randn([2, 3, 16, 32]).to(bfloat16);
        using var unused = ones([1]);
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported && TrainingKernels.Enabled, AttentionTrainingKernel.Applies(x, x, x, null));
        if (!AttentionTrainingKernel.Applies(x, x, x, null)) return;
        long ours = LeftByStep((a, _) => AttentionTrainingKernel.Run(a, a, a, 0.125, null), x, unused);
        long libtorch = LeftByStep((a, _) => a * 2, x, unused);
        Assert.Equal(libtorch + TorchSharpOutputCache, ours);
    }

    // A layer hands both kernels [B, H, T, D] views over [B, T, H, D] memory: the attention kernel copies them once and the
    // rotary kernel reads their layout, and neither may leave a handle behind (one would keep the projection alive).
    [Fact]
    public void Rotary_and_attention_kernels_on_a_layers_views_leave_the_handles_of_one_libtorch_op()
    {
        using var x = randn([2, 16, 3, 64]).to(bfloat16);
        using var unused = ones([1]);
        var (cos, sin) = new Pharos.Models.Transformer.RotaryEmbedding(64, 10000, null, CPU).CosSin(arange(16, dtype: int64).unsqueeze(0), bfloat16);
        using var view = x.transpose(1, 2);
        if (!RotaryTrainingKernel.Applies(view, cos, sin) || !AttentionTrainingKernel.Applies(view, view, view, null)) return;
        long rotary = LeftByStep((a, _) => RotaryTrainingKernel.Run(a.transpose(1, 2), cos, sin), x, unused);
        long attention = LeftByStep((a, _) => AttentionTrainingKernel.Run(a.transpose(1, 2), a.transpose(1, 2), a.transpose(1, 2), 0.125, null), x, unused);
        long libtorch = LeftByStep((a, _) => a.transpose(1, 2) * 2, x, unused);
        Assert.Equal(libtorch + TorchSharpOutputCache, rotary);
        Assert.Equal(libtorch + 2 + TorchSharpOutputCache, attention); // its two further views of the input
    }
}
