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
}
