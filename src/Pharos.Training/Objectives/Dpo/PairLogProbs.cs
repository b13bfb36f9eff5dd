// Per-sequence log-probabilities of a preference batch: each row holds the chosen (first document) and the rejected
// (second document) completion side by side with per-document attention, so one forward pass scores both.
using Pharos.Models.Transformer;
using Pharos.Training.Datasets;
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Dpo;

/// <param name="Sum">[B, 2] summed log πθ(y|x) of the target tokens; column 0 chosen, 1 rejected</param>
/// <param name="Count">[B, 2] target tokens per completion</param>
/// <param name="WpoMean">[B, 2] mean over tokens of log p(y_t) − log Σ_v p(v)² (WPO's weight exponent), no gradient; null unless asked</param>
public sealed record PairLogProbs(Tensor Sum, Tensor Count, Tensor? WpoMean) : IDisposable
{
    public void Dispose()
    {
        Sum.Dispose();
        Count.Dispose();
        WpoMean?.Dispose();
    }

    /// <param name="chunkRows">positions projected to the vocabulary at a time (full [B, T, V] logits never exist at once)</param>
    public static PairLogProbs Compute(CausalLM model, Batch batch, bool wpo, long chunkRows = 2048)
    {
        using var scope = NewDisposeScope();
        long b = batch.InputIds.shape[0], t = batch.InputIds.shape[1];
        var hidden = model.Hidden(batch.InputIds, positionIds: batch.PositionIds, documentIds: batch.DocumentIds);
        var labels = batch.Labels.reshape(-1);
        var rows = labels.ne(Batch.IgnoreIndex).nonzero().squeeze(1);
        // Segment of each position: 2·row + (0 chosen | 1 rejected); the rejected document is any document after the first.
        var docs = batch.DocumentIds ?? throw new InvalidOperationException("preference rows need document ids (chosen and rejected side by side)");
        var second = docs.ne(docs.narrow(1, 0, 1)).to(int64);
        var segment = (arange(b, dtype: int64, device: docs.device).unsqueeze(1) * 2 + second).reshape(-1).index_select(0, rows);
        var selected = hidden.reshape(-1, hidden.shape[^1]).index_select(0, rows);
        var targets = labels.index_select(0, rows);
        long n = rows.shape[0];
        // A chunk of positions at a time; with gradient, each chunk's logits are recomputed in the backward pass rather
        // than kept (ChunkedTokenLogProbs).
        var confidence = wpo ? empty(n, float32, hidden.device) : null;
        var all = ChunkedTokenLogProbs.Compute(model, selected, targets, chunkRows, confidence: confidence);
        var sum = zeros(b * 2, float32, hidden.device).index_add(0, segment, all, 1).reshape(b, 2);
        var count = zeros(b * 2, float32, hidden.device).index_add(0, segment, ones_like(all), 1).reshape(b, 2);
        Tensor? wpoMean = null;
        if (wpo)
        {
            using var noGrad = no_grad();
            // log p(y_t) − log Σ_v p(v)²: the token's probability relative to the policy's own confidence, which WPO divides out.
            var adj = all.detach() - confidence!;
            wpoMean = zeros(b * 2, float32, hidden.device).index_add(0, segment, adj, 1).reshape(b, 2) / count.clamp_min(1);
        }
        return new PairLogProbs(sum.MoveToOuterDisposeScope(), count.MoveToOuterDisposeScope(), wpoMean?.MoveToOuterDisposeScope());
    }
}
