// sparsemax (Martins & Astudillo, 2016): the Euclidean projection onto the probability simplex, which COMET-22 and
// CometKiwi use to weigh the encoder's layers; unlike softmax it gives exact zeros.
using static TorchSharp.torch;

namespace Pharos.Eval.Comet;

public static class Sparsemax
{
    /// <summary>p_i = max(z_i − τ, 0) over a 1-D tensor, τ chosen so that the p sum to 1.</summary>
    public static Tensor Apply(Tensor z)
    {
        using var scope = NewDisposeScope();
        var sorted = z.sort(0, descending: true).Values;
        var cumulative = sorted.cumsum(0) - 1;
        var rank = arange(1, z.shape[0] + 1, dtype: z.dtype, device: z.device);
        var support = (rank * sorted).gt(cumulative);
        long k = support.sum().item<long>();
        var tau = cumulative[k - 1] / k;
        return (z - tau).clamp_min(0).MoveToOuterDisposeScope();
    }
}
