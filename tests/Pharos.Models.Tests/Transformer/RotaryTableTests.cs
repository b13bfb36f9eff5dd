using Pharos.Models.Config;
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Transformer;

public class RotaryTableTests
{
    [Theory]
    [InlineData(32, false)]
    [InlineData(64, false)]
    [InlineData(128, true)]
    public void The_decoding_table_holds_what_CosSin_gives_each_position(int headDim, bool llama3)
    {
        var scaling = llama3 ? new RopeScaling("llama3", 8, 1, 4, 8192) : null;
        using var rotary = new RotaryEmbedding(headDim, 500000, scaling, CPU);
        var table = rotary.DecodeTable(3000)!;
        Assert.True(table.Count >= 3000);
        using var scope = NewDisposeScope();
        // One position per call, as a batch-1 step asks, and five side by side, as a batch of rows does.
        foreach (long[] positions in new[] { new long[] { 0 }, [1], [17], [1023], [1024], [2999], [5, 900, 2047, 13, 2500] })
        {
            var (cos, sin) = rotary.CosSin(tensor(positions).unsqueeze(1), bfloat16);
            for (int r = 0; r < positions.Length; r++)
            {
                // bfloat16 → float32 is exact, so equal floats are equal bfloat16 values.
                var expectedCos = cos[r].flatten().to(float32).data<float>().ToArray();
                var expectedSin = sin[r].flatten().to(float32).data<float>().ToArray();
                var start = (int)positions[r] * headDim;
                Assert.Equal(expectedCos, table.Cos.Skip(start).Take(headDim).Select(Widen));
                Assert.Equal(expectedSin, table.Sin.Skip(start).Take(headDim).Select(Widen));
            }
        }
        // Asking for more grows it, and the rows already there stay what they were.
        var grown = rotary.DecodeTable(table.Count + 1)!;
        Assert.True(grown.Count > table.Count);
        Assert.Equal(table.Cos, grown.Cos.Take(table.Cos.Length));
    }

    static float Widen(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    [Fact]
    public void Head_dims_libtorch_may_compute_in_two_ways_get_no_table()
    {
        // A [rows, 16] step falls in libtorch's scalar remainder, a table block in its vector loop: they could differ.
        using var rotary = new RotaryEmbedding(16, 10000, null, CPU);
        Assert.Null(rotary.DecodeTable(10));
    }
}
