// Next-token cross-entropy over the labelled positions: CPT (every token) and SFT (assistant tokens only) differ only in their labels.
using Pharos.Models.Transformer;
using Pharos.Training.Datasets;
using static TorchSharp.torch;

namespace Pharos.Training.Objectives;

public sealed class CausalLmObjective : IObjective
{
    readonly long? chunkRows;

    /// <param name="name">"cpt" or "sft": only the name differs, the labels say which tokens count</param>
    /// <param name="chunkRows">positions projected to the vocabulary at a time: only one chunk's logits ever exist (see
    /// ChunkedLmHeadLoss); by default as many as <see cref="ChunkedLmHeadLoss.DefaultChunkRows"/> gives for the vocabulary</param>
    public CausalLmObjective(string name = "causal_lm", long? chunkRows = null)
    {
        Name = name;
        this.chunkRows = chunkRows;
    }

    public string Name { get; }

    public ObjectiveOutput Loss(CausalLM model, Batch batch)
    {
        using var scope = NewDisposeScope();
        var hidden = model.Hidden(batch.InputIds, positionIds: batch.PositionIds, documentIds: batch.DocumentIds);
        var labels = batch.Labels.reshape(-1);
        // Only labelled positions reach the output projection: for SFT that skips the prompt tokens entirely.
        var rows = labels.ne(Batch.IgnoreIndex).nonzero().squeeze(1);
        var selected = hidden.reshape(-1, hidden.shape[^1]).index_select(0, rows);
        var targets = labels.index_select(0, rows);
        var total = ChunkedLmHeadLoss.Sum(model, selected, targets, chunkRows ?? ChunkedLmHeadLoss.DefaultChunkRows(model.Config.VocabSize));
        return new ObjectiveOutput(total.MoveToOuterDisposeScope(), batch.TargetTokens, new Dictionary<string, double>());
    }
}
