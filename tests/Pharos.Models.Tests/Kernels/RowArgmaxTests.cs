// Greedy decoding's in-place argmax against torch.argmax on real tensors: the first index of the maximum when values
// tie (bfloat16 logits tie often), a NaN taken as the maximum, rows of −∞, lengths that are not a multiple of 16.
using Pharos.Models.Kernels;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Kernels;

public class RowArgmaxTests
{
    [Theory]
    [InlineData(ScalarType.BFloat16, 32000)]
    [InlineData(ScalarType.BFloat16, 37)]
    [InlineData(ScalarType.BFloat16, 5)]
    [InlineData(ScalarType.Float32, 1003)]
    public void Gives_torch_argmax_with_ties_nan_and_infinities(ScalarType dtype, int vocab)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        // Coarse values so the maximum repeats within a row, at positions in the vector part and in the tail.
        var logits = (randn([6, vocab]) * 4).round().to(dtype);
        logits[1].fill_(double.NegativeInfinity);
        logits[2, vocab / 2] = tensor(double.NaN);
        logits[2, vocab - 1] = tensor(double.NaN);
        logits[3, vocab - 1] = tensor(1000.0);
        logits[4].fill_(2.0);
        var expected = logits.argmax(-1).data<long>().ToArray();
        for (int row = 0; row < 6; row++)
            Assert.Equal(expected[row], RowArgmax.Of(logits, row));
        Assert.Equal(vocab / 2, RowArgmax.Of(logits, 2));
        Assert.Equal(vocab - 1, RowArgmax.Of(logits, 3));
    }
}
