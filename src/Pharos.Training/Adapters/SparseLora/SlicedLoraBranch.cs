// The LoRA branch of a sliced projection computed for the kept channels only (sparse_lora_branch: true): lora_B's chosen output
// rows for q/k/v/gate/up, lora_A's chosen input columns for o/down, on context rows; answer rows dense. The result equals the
// dense branch with the unchosen channels masked: for o/down the unchosen inputs are exact zeros anyway (their partners'
// base and branch are both sliced), so slicing lora_A only saves the multiply-adds.
using static TorchSharp.torch;

namespace Pharos.Training.Adapters.SparseLora;

public static class SlicedLoraBranch
{
    /// <param name="h2">the branch input (dropout applied) as [N, in] float32</param>
    /// <returns>[N, out]: scale·B[c]·A·h on context rows (0 in other columns), scale·B·A·h on answer rows</returns>
    public static Tensor OutputRows(LoraAdapter lora, Tensor h2, Tensor channels, RowSplit rows, SparseLoraContext context)
    {
        using var scope = NewDisposeScope();
        long n = h2.shape[0], inF = h2.shape[1], r = lora.Options.Rank, outF = lora.lora_B.weight.shape[0], k = channels.shape[0];
        var a = lora.lora_A.forward(h2);
        var part = nn.functional.linear(rows.ContextOf(a), lora.lora_B.WeightAs(a.dtype).index_select(0, channels));
        var answer = rows.AnswerOf(a, lora.lora_B.forward);
        var y = rows.AddAnswerRows(rows.AddContextColumns(zeros([n, outF], part.dtype, part.device), part, channels), answer) * lora.Options.Scale;
        context.Count(2.0 * n * r * (inF + outF), 2.0 * (n * r * inF + rows.ContextCount * r * k + rows.AnswerCount * r * outF));
        return y.MoveToOuterDisposeScope();
    }

    /// <returns>[N, out]: scale·B·A[:, c]·h[c] on context rows, scale·B·A·h on answer rows</returns>
    public static Tensor InputColumns(LoraAdapter lora, Tensor h2, Tensor channels, RowSplit rows, SparseLoraContext context)
    {
        using var scope = NewDisposeScope();
        long n = h2.shape[0], inF = h2.shape[1], r = lora.Options.Rank, outF = lora.lora_B.weight.shape[0], k = channels.shape[0];
        var part = nn.functional.linear(rows.ContextOf(h2).index_select(1, channels), lora.lora_A.WeightAs(h2.dtype).index_select(1, channels));
        var answer = rows.AnswerOf(h2, lora.lora_A.forward);
        var a = rows.AddAnswerRows(rows.AddContextRows(zeros([n, r], part.dtype, part.device), part), answer);
        var y = lora.lora_B.forward(a) * lora.Options.Scale;
        context.Count(2.0 * n * r * (inF + outF), 2.0 * (rows.ContextCount * k * r + rows.AnswerCount * inF * r + n * r * outF));
        return y.MoveToOuterDisposeScope();
    }
}
