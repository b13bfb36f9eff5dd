// The frozen projection computed on sliced weights: context rows get only the chosen output rows (q/k/v/gate/up) or read only
// the chosen input columns (o/down), answer rows stay dense. Unchosen outputs are exact zeros, so the block's own forward code
// (activation, RoPE, attention) runs unchanged and the result equals a dense computation with those channels masked.
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Training.Adapters.SparseLora;

public static class SlicedProjection
{
    /// <summary><paramref name="into"/> + y, where y[context, c] = x·W[c]ᵀ + b[c] for c in <paramref name="channels"/>, 0 for other c,
    /// and y[answer] = x·Wᵀ + b. Adding into the LoRA branch's output directly saves the full-width zero tensors a separate y
    /// would need (they cost as much as the sliced matmuls on narrow layers).</summary>
    /// <param name="into">[N, out] in the base's dtype: the LoRA branch's output for the same rows, computed after the base's products
    /// (so autograd sums x's gradient in the same order as for base + branch); y is added into it in place</param>
    public static Tensor OutputRows(Linear layer, Tensor x, Tensor channels, RowSplit rows, SparseLoraContext context, Func<Tensor> into)
    {
        using var scope = NewDisposeScope();
        long inF = layer.InFeatures, outF = layer.OutFeatures, k = channels.shape[0];
        var x2 = x.reshape(-1, inF);
        long n = x2.shape[0];
        // Sliced first, then cast to the activations' dtype (a float32 weight under bf16 compute), as Linear.Base casts.
        var w = Linear.As(layer.weight.index_select(0, channels), x.dtype);
        var b = layer.bias is null ? null : Linear.As(layer.bias.index_select(0, channels), x.dtype);
        var part = nn.functional.linear(rows.ContextOf(x2), w, b);
        var answer = rows.AnswerOf(x2, layer.Base);
        var branch = into();
        var y = rows.AddAnswerRows(rows.AddContextColumns(branch, part.to(branch.dtype), channels), answer);
        context.Count(2.0 * n * inF * outF, 2.0 * (rows.ContextCount * inF * k + rows.AnswerCount * inF * outF));
        return y.reshape([.. x.shape[..^1], outF]).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="into"/> + y, where y[context] = x[:, c]·W[:, c]ᵀ + b over the chosen input columns c (the others are
    /// zero by construction) and y[answer] is dense.</summary>
    public static Tensor InputColumns(Linear layer, Tensor x, Tensor channels, RowSplit rows, SparseLoraContext context, Func<Tensor> into)
    {
        using var scope = NewDisposeScope();
        long inF = layer.InFeatures, outF = layer.OutFeatures, k = channels.shape[0];
        var x2 = x.reshape(-1, inF);
        long n = x2.shape[0];
        var w = Linear.As(layer.weight.index_select(1, channels), x.dtype);
        // Columns first: the gather then copies N·k values, not C·in.
        var part = nn.functional.linear(rows.ContextOf(x2.index_select(1, channels)), w, layer.bias is null ? null : Linear.As(layer.bias, x.dtype));
        var answer = rows.AnswerOf(x2, layer.Base);
        var branch = into();
        var y = rows.AddAnswerRows(rows.AddContextRows(branch, part.to(branch.dtype)), answer);
        context.Count(2.0 * n * inF * outF, 2.0 * (rows.ContextCount * k * outF + rows.AnswerCount * inF * outF));
        return y.reshape([.. x.shape[..^1], outF]).MoveToOuterDisposeScope();
    }
}
