// Attention channel choice, once per forward and layer: q/k share channels scored by ‖q̂‖ (averaged over the query heads of a
// GQA group) × ‖k̂‖ over the context tokens; v is scored by ‖v̂‖; o_proj reads the input columns that v's channels feed.
using static TorchSharp.torch;

namespace Pharos.Training.Adapters.SparseLora;

public sealed class AttentionChannels : ILayerChannels
{
    readonly LowRankFactors q, k, v;
    readonly long kvHeads, groups, headDim, keep;
    Tensor? qChannels, kChannels, vChannels, oChannels;
    long qkForward = -1, vForward = -1;
    IntPtr qkInput;

    /// <param name="keep">key/value channels kept out of kvHeads·headDim; each query head of the group keeps the same ones</param>
    public AttentionChannels(LowRankFactors q, LowRankFactors k, LowRankFactors v, int heads, int kvHeads, int headDim, long keep)
    {
        this.q = q;
        this.k = k;
        this.v = v;
        this.kvHeads = kvHeads;
        groups = heads / kvHeads;
        this.headDim = headDim;
        this.keep = keep;
    }

    public Tensor? Channels(ProjectionRole role, Tensor x, RowSplit rows, SparseLoraContext context)
    {
        switch (role)
        {
            case ProjectionRole.Query or ProjectionRole.Key:
                // q_proj runs first and chooses; k_proj sees the same input and reuses the choice.
                if (role == ProjectionRole.Query || qkForward != context.ForwardId || qkInput != x.Handle)
                {
                    qChannels?.Dispose();
                    kChannels?.Dispose();
                    (qChannels, kChannels) = ScoreQk(x, rows);
                    qkForward = context.ForwardId;
                    qkInput = x.Handle;
                }
                return role == ProjectionRole.Query ? qChannels : kChannels;
            case ProjectionRole.Value:
                // v_proj is the only reader of v's estimate: it chooses on every call.
                {
                    vChannels?.Dispose();
                    oChannels?.Dispose();
                    (oChannels, vChannels) = ScoreV(x, rows);
                    vForward = context.ForwardId;
                }
                return vChannels;
            case ProjectionRole.Output:
                return vForward == context.ForwardId ? oChannels : null;
            default:
                throw new ArgumentOutOfRangeException(nameof(role), role, "not an attention projection");
        }
    }

    /// <returns>(query channels, key channels)</returns>
    public (Tensor Query, Tensor Key) ScoreQk(Tensor x, RowSplit rows)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var xs = rows.ContextOf(x.detach().reshape(-1, x.shape[^1]));
        var qNorm = q.Apply(xs).norm(0).view(kvHeads, groups, headDim).mean([1]).reshape(-1);
        var kNorm = k.Apply(xs).norm(0);
        var kc = (qNorm * kNorm).topk((int)keep).indexes.sort().Values;
        return (Expand(kc).MoveToOuterDisposeScope(), kc.MoveToOuterDisposeScope());
    }

    /// <returns>(o_proj input columns, value channels)</returns>
    public (Tensor Output, Tensor Value) ScoreV(Tensor x, RowSplit rows)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var xs = rows.ContextOf(x.detach().reshape(-1, x.shape[^1]));
        var vc = v.Apply(xs).norm(0).topk((int)keep).indexes.sort().Values;
        return (Expand(vc).MoveToOuterDisposeScope(), vc.MoveToOuterDisposeScope());
    }

    /// <summary>Key/value channel (head j, dim d) → the same dim d of every query head j·groups … j·groups+groups−1.</summary>
    Tensor Expand(Tensor kvChannels)
    {
        if (groups == 1) return kvChannels.clone();
        var head = kvChannels.div(headDim, RoundingMode.floor);
        var dim = kvChannels.remainder(headDim);
        var first = (head * (groups * headDim) + dim).unsqueeze(1);
        var offsets = arange(groups, dtype: int64, device: kvChannels.device).mul(headDim).unsqueeze(0);
        return (first + offsets).reshape(-1).sort().Values;
    }
}
