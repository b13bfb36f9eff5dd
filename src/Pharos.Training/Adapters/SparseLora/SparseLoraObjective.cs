// Wraps any objective (CPT/SFT, DPO/WPO, GRPO) so that SparseLoRA knows, for each training forward, which positions are answer
// tokens (labels ≠ −100, or the completion positions GRPO announces: computed dense) and which are context (sparse).
// Evaluation forwards and GRPO's rollouts (model.eval()) pass straight through and run dense.
using Pharos.Models.Transformer;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives;
using static TorchSharp.torch;

namespace Pharos.Training.Adapters.SparseLora;

public sealed class SparseLoraObjective : IObjective
{
    readonly IObjective inner;
    readonly SparseLoraContext context;
    bool active;

    public SparseLoraObjective(IObjective inner, SparseLoraContext context)
    {
        this.inner = inner;
        this.context = context;
        // GRPO's training forward is over prompt + completion rows, not the batch: it announces that forward's scored positions.
        if (inner is IAnnouncesLossPositions announcer)
            announcer.LossPositions = scored => { if (active) Announce(scored.reshape(-1)); };
    }

    public string Name => inner.Name;

    // The wrapped objective's units (pairs for DPO, prompts for GRPO), step seeding and batch reuse (GRPO's num_iterations)
    // must survive the wrapping: every IObjective member is forwarded (PreferenceTests checks that none is left to its default).
    public long UnitsOf(Batch batch) => inner.UnitsOf(batch);

    public void BeginStep(int step) => inner.BeginStep(step);

    public bool DrawsNewBatch(int step) => inner.DrawsNewBatch(step);

    // GRPO samples here, in eval mode: its rollouts are dense like every generation.
    public void PrepareStep(CausalLM model, IReadOnlyList<Batch> microBatches) => inner.PrepareStep(model, microBatches);

    public ObjectiveOutput Loss(CausalLM model, Batch batch)
    {
        if (!model.training || !context.StepIsSparse) return inner.Loss(model, batch);
        using (var scored = batch.Labels.reshape(-1).ne(Batch.IgnoreIndex)) Announce(scored);
        active = true;
        try
        {
            return inner.Loss(model, batch);
        }
        finally
        {
            active = false;
            context.EndForward();
        }
    }

    /// <param name="scored">flattened [N·T] bool: the positions whose outputs carry a loss (answer rows, computed dense)</param>
    void Announce(Tensor scored)
    {
        long n = scored.shape[0];
        Tensor? contextRows = null, answerRows = null;
        if (context.Options.DenseOutputTokens)
        {
            using var isContext = scored.logical_not();
            using var a = scored.nonzero();
            using var c = isContext.nonzero();
            answerRows = a.squeeze(1);
            contextRows = c.squeeze(1);
        }
        context.BeginForward(n, contextRows, answerRows);
    }
}
