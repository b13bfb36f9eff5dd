// The rotary training kernel against RotaryEmbedding's eager libtorch ops (the path taken with the fused training paths
// off): the same bits forward and backward, for queries laid out as a layer has them and for contiguous ones, with cos/sin
// shared by the batch or one per row; and the input's gradient laid out as the input.
using Pharos.Models.Kernels;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Kernels;

public class RotaryTrainingKernelTests
{
    static float[] Bits(Tensor t) => t.detach().to(float32).contiguous().data<float>().ToArray(); // bf16 widens exactly

    /// <summary>Output and input gradient (and whether the kernel ran) for x [B, H, T, D] made from <paramref name="source"/>.</summary>
    static (float[] Output, float[] Grad, long[] GradStrides, bool Kernel) Run(Tensor source, bool overTokens, Tensor cos, Tensor sin, Tensor upstream, bool kernels)
    {
        bool saved = TrainingKernels.Enabled;
        TrainingKernels.Enabled = kernels;
        try
        {
            using var scope = NewDisposeScope();
            // As a layer has it: the projection [B, T, H·D] viewed as [B, T, H, D] and transposed; or contiguous.
            var leaf = (overTokens ? source.transpose(1, 2).contiguous() : source.clone()).requires_grad_(true);
            var x = overTokens ? leaf.transpose(1, 2) : leaf;
            bool kernel = RotaryTrainingKernel.Applies(x, cos, sin);
            var y = RotaryEmbedding.Apply(x, cos, sin);
            y.backward([upstream]);
            var grad = overTokens ? leaf.grad!.transpose(1, 2) : leaf.grad!;
            return (Bits(y), Bits(grad), leaf.grad!.stride(), kernel);
        }
        finally { TrainingKernels.Enabled = saved; }
    }

    [KernelTheory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void Forward_and_backward_give_the_eager_bits(bool overTokens, bool cosPerRow)
    {
        const long b = 2, h = 3, t = 5, d = 64;
        var g = new Generator(4);
        var source = (randn([b, h, t, d], generator: g) * 3).to(bfloat16);
        var upstream = randn([b, h, t, d], generator: g).to(bfloat16);
        var rope = new RotaryEmbedding((int)d, 10000, null, CPU);
        var positions = cosPerRow ? tensor(new long[] { 0, 1, 2, 3, 4, 7, 8, 9, 10, 11 }, [b, t]) : arange(t, dtype: int64).unsqueeze(0);
        var (cos, sin) = rope.CosSin(positions, bfloat16);
        var eager = Run(source, overTokens, cos, sin, upstream, kernels: false);
        var fused = Run(source, overTokens, cos, sin, upstream, kernels: true);
        Assert.False(eager.Kernel);
        Assert.True(fused.Kernel);
        Assert.Equal(eager.Output, fused.Output);
        Assert.Equal(eager.Grad, fused.Grad);
        // The gradient lands in the input's own layout (a layer's projection reads it without a copy).
        Assert.True(fused.GradStrides.SequenceEqual(overTokens ? new long[] { t * h * d, h * d, d, 1 } : new long[] { h * t * d, t * d, d, 1 }));
        Assert.True(fused.Output.Distinct().Count() > 100, "a real rotation of varied inputs");
    }

    [KernelFact]
    public void It_stays_out_of_inference_and_of_head_dims_it_does_not_cover()
    {
        var rope = new RotaryEmbedding(48, 10000, null, CPU);
        var (cos48, sin48) = rope.CosSin(arange(4, dtype: int64).unsqueeze(0), bfloat16);
        Assert.False(RotaryTrainingKernel.Applies(zeros([1, 2, 4, 48], bfloat16), cos48, sin48)); // 48 is not a multiple of 32
        var (cos, sin) = new RotaryEmbedding(64, 10000, null, CPU).CosSin(arange(4, dtype: int64).unsqueeze(0), bfloat16);
        var x = zeros([1, 2, 4, 64], bfloat16);
        Assert.True(RotaryTrainingKernel.Applies(x, cos, sin));
        using (no_grad()) Assert.False(RotaryTrainingKernel.Applies(x, cos, sin)); // inference keeps libtorch's ops
        Assert.False(RotaryTrainingKernel.Applies(x.to(float32), cos.to(float32), sin.to(float32)));
    }
}
