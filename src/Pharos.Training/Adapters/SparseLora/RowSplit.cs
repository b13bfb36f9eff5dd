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

    /// <summary>Adds <paramref name="part"/> [C, k] at the context rows and the given columns of <paramref name="into"/> [N, width], in
    /// place: one scatter of C·k values, instead of widening part to [C, width] with zeros first or copying into. into must be a
    /// tensor of one's own whose value no backward needs (a product's or a sum's result, as for <see cref="AddAnswerRows"/>).</summary>
    public Tensor AddContextColumns(Tensor into, Tensor part, Tensor columns)
    {
        if (Context is null) return into.index_add_(1, columns, part, 1);
        long width = into.shape[1];
        var flat = (Context.unsqueeze(1) * width + columns.unsqueeze(0)).reshape(-1);
        // The flat indices address a row-major layout (a strided into is copied first; the branch outputs never are).
        if (!into.is_contiguous()) into = into.contiguous();
        into.view(-1).index_add_(0, flat, part.reshape(-1), 1);
        return into;
    }

    /// <summary>Adds <paramref name="part"/> [C, width] at the context rows of <paramref name="into"/> [N, width] in place (same
    /// condition on into as <see cref="AddContextColumns"/>).</summary>
    public Tensor AddContextRows(Tensor into, Tensor part) => Context is null ? into.add_(part) : into.index_add_(0, Context, part, 1);

    /// <summary><paramref name="dense"/> applied to the answer rows of x2 ([A, width]; null when there are none).</summary>
    public Tensor? AnswerOf(Tensor x2, Func<Tensor, Tensor> dense) => Answer is null ? null : dense(x2.index_select(0, Answer));

    /// <summary>Adds <paramref name="answer"/> [A, width] at the answer rows of <paramref name="into"/> [N, width] in place (saving a
    /// full-width copy): into must be a tensor of one's own, such as the result of <see cref="AddContextColumns"/> or
    /// <see cref="AddContextRows"/>, whose backward does not need its value.</summary>
    public Tensor AddAnswerRows(Tensor into, Tensor? answer) => answer is null ? into : into.index_add_(0, Answer!, answer.to(into.dtype), 1);
}
