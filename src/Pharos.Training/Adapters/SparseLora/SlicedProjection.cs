// The frozen projection computed on sliced weights: context rows get only the chosen output rows (q/k/v/gate/up) or read only
// the chosen input columns (o/down), answer rows stay dense. Unchosen outputs are exact zeros, so the block's own forward code
// (activation, RoPE, attention) runs unchanged and the result equals a dense computation with those channels masked.
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Training.Adapters.SparseLora;

public static class SlicedProjection
{
    /// <summary>y[context, c] = x·W[c]ᵀ + b[c] for c in <paramref name="channels"/>, 0 for other c; y[answer] = x·Wᵀ + b.</summary>
    public static Tensor OutputRows(Linear layer, Tensor x, Tensor channels, RowSplit rows, SparseLoraContext context)
    {
        using var scope = NewDisposeScope();
        long inF = layer.InFeatures, outF = layer.OutFeatures, k = channels.shape[0];
        var x2 = x.reshape(-1, inF);
        long n = x2.shape[0];
        var w = layer.weight.index_select(0, channels);
        var b = layer.bias?.index_select(0, channels);
        var part = nn.functional.linear(rows.ContextOf(x2), w, b);
        var wide = zeros([rows.ContextCount, outF], part.dtype, part.device).index_copy(1, channels, part);
        var y = rows.Merge(wide, x2, layer.Base);
        context.Count(2.0 * n * inF * outF, 2.0 * (rows.ContextCount * inF * k + rows.AnswerCount * inF * outF));
        return y.reshape([.. x.shape[..^1], outF]).MoveToOuterDisposeScope();
    }

    /// <summary>y[context] = x[:, c]·W[:, c]ᵀ + b over the chosen input columns c (the others are zero by construction); y[answer] dense.</summary>
    public static Tensor InputColumns(Linear layer, Tensor x, Tensor channels, RowSplit rows, SparseLoraContext context)
    {
        using var scope = NewDisposeScope();
        long inF = layer.InFeatures, outF = layer.OutFeatures, k = channels.shape[0];
        var x2 = x.reshape(-1, inF);
        long n = x2.shape[0];
        var w = layer.weight.index_select(1, channels);
        var part = nn.functional.linear(rows.ContextOf(x2).index_select(1, channels), w, layer.bias);
        var y = rows.Merge(part, x2, layer.Base);
        context.Count(2.0 * n * inF * outF, 2.0 * (rows.ContextCount * k * outF + rows.AnswerCount * inF * outF));
        return y.reshape([.. x.shape[..^1], outF]).MoveToOuterDisposeScope();
    }
}
