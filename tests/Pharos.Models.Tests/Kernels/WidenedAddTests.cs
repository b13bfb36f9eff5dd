// WidenedAdd (float32 += bfloat16 in one pass, for the LM-head weight's gradient) against libtorch's mixed-dtype add_.
using System.Runtime.Intrinsics.X86;
using Pharos.Models.Kernels;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Kernels;

public class WidenedAddTests
{
    // Sizes around the 16-element vectors and the two threads' split, including a tail on each side.
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(33)]
    [InlineData(4099)]
    [InlineData(100_003)]
    public void Adds_bfloat16_into_float32_bit_for_bit_as_libtorch(int n)
    {
        var gen = new Generator((ulong)n);
        using var sum = randn([n], dtype: float32, generator: gen) * 3;
        using var source = (randn([n], dtype: float32, generator: gen) * 5).to(bfloat16);
        using var expected = sum.clone().add_(source);
        using var ours = sum.clone();
        WidenedAdd.Into(ours, source);
        Assert.Equal(Avx512F.IsSupported && TrainingKernels.Enabled, WidenedAdd.Applies(sum, source));
        Assert.True(expected.bytes.SequenceEqual(ours.bytes), $"n={n}: max diff {(expected - ours).abs().max().item<float>()}");
    }

    [Fact]
    public void Infinities_and_NaN_pass_through_as_in_libtorch()
    {
        using var sum = tensor(new float[] { 1, float.PositiveInfinity, 2, 3, -0f, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 });
        using var source = tensor(new float[] { float.NegativeInfinity, 1, float.NaN, -3, 0f, 1e38f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, float.NaN }).to(bfloat16);
        using var expected = sum.clone().add_(source);
        using var ours = sum.clone();
        WidenedAdd.Into(ours, source);
        Assert.True(expected.bytes.SequenceEqual(ours.bytes));
    }

    [Fact]
    public void Other_dtypes_and_strided_tensors_go_through_libtorch()
    {
        using var sum = zeros([4, 6], dtype: float32);
        using var strided = ones([6, 4], dtype: bfloat16).t();
        Assert.False(WidenedAdd.Applies(sum, strided));
        WidenedAdd.Into(sum, strided);
        Assert.Equal(24f, sum.sum().item<float>());
        using var float32Source = ones([4, 6], dtype: float32);
        Assert.False(WidenedAdd.Applies(sum, float32Source));
    }
}
