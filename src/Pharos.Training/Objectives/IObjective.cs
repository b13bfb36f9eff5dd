// A training objective: computes a loss from a batch and a model. The Trainer owns everything else (loop, accumulation, clipping, logs).
using Pharos.Models.Transformer;
using Pharos.Training.Datasets;

namespace Pharos.Training.Objectives;

public interface IObjective
{
    string Name { get; }

    /// <summary>The loss summed over the objective's units (target tokens, pairs…) in this micro-batch, with the unit count,
    /// so the Trainer can normalise by the units of the whole accumulated step (not a mean of means).</summary>
    ObjectiveOutput Loss(CausalLM model, Batch batch);

    /// <summary>The units this batch's loss is summed over, known before the forward pass so the Trainer can divide every
    /// micro-batch by the whole step's total: target tokens for language modelling, pairs for DPO, prompts for GRPO.</summary>
    long UnitsOf(Batch batch) => batch.TargetTokens;

    /// <summary>Called before each optimizer step's micro-batches (steps count from 0, resumed runs continue the count):
    /// objectives that sample (GRPO) seed from it so a resumed run samples what an uninterrupted one would.</summary>
    void BeginStep(int step) { }

    /// <summary>False when this step trains on the previous step's micro-batches again (GRPO's num_iterations: TRL
    /// repeats the batch, so no prompt is skipped); the Trainer then draws nothing new from the data.</summary>
    bool DrawsNewBatch(int step) => true;

    /// <summary>Called with all of a step's micro-batches before their units are counted or any loss is computed: GRPO
    /// samples every micro-batch's completions here, so its units (dapo: completion tokens) are known for the whole step.</summary>
    void PrepareStep(CausalLM model, IReadOnlyList<Batch> microBatches) { }
}
