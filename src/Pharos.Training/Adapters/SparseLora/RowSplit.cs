// Which flattened [B·T] rows of the current forward are context tokens (computed sparse) and which are answer tokens (dense).
using static TorchSharp.torch;

namespace Pharos.Training.Adapters.SparseLora;

/// <param name="Context">row indices computed sparse; null = every row</param>
/// <param name="Answer">row indices computed dense; null = none</param>
public sealed record RowSplit(Tensor? Context, Tensor? Answer, long ContextCount, long AnswerCount)
{
    public static RowSplit AllContext(long rows) => new(null, null, rows, 0);

    /// <summary>The context rows of x viewed as [N, features].</summary>
    public Tensor ContextOf(Tensor x2) => Context is null ? x2 : x2.index_select(0, Context);

    /// <summary>[N, width] rows in order: context rows from <paramref name="contextPart"/> (computed sparsely), answer rows from
    /// <paramref name="dense"/> applied to the answer rows of x2.</summary>
    public Tensor Merge(Tensor contextPart, Tensor x2, Func<Tensor, Tensor> dense)
    {
        if (Context is null || Answer is null) return contextPart;
        var answer = dense(x2.index_select(0, Answer));
        return zeros([ContextCount + AnswerCount, answer.shape[1]], contextPart.dtype, contextPart.device)
            .index_copy(0, Context, contextPart)
            .index_copy(0, Answer, answer);
    }
}
