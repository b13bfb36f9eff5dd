// Wraps any objective so that SparseLoRA knows, for each training forward, which positions are answer tokens (labels ≠ −100:
// computed dense) and which are context (sparse). Evaluation forwards (model.eval()) pass straight through and run dense.
using Pharos.Models.Transformer;
using Pharos.Training.Datasets;
using Pharos.Training.Objectives;
using static TorchSharp.torch;

namespace Pharos.Training.Adapters.SparseLora;

public sealed class SparseLoraObjective : IObjective
{
    readonly IObjective inner;
    readonly SparseLoraContext context;

    public SparseLoraObjective(IObjective inner, SparseLoraContext context)
    {
        this.inner = inner;
        this.context = context;
    }

    public string Name => inner.Name;

    public ObjectiveOutput Loss(CausalLM model, Batch batch)
    {
        if (!model.training || !context.StepIsSparse) return inner.Loss(model, batch);
        var labels = batch.Labels.reshape(-1);
        long n = labels.shape[0];
        Tensor? contextRows = null, answerRows = null;
        if (context.Options.DenseOutputTokens)
        {
            using var isAnswer = labels.ne(Batch.IgnoreIndex);
            using var isContext = isAnswer.logical_not();
            using var a = isAnswer.nonzero();
            using var c = isContext.nonzero();
            answerRows = a.squeeze(1);
            contextRows = c.squeeze(1);
        }
        context.BeginForward(n, contextRows, answerRows);
        try
        {
            return inner.Loss(model, batch);
        }
        finally
        {
            context.EndForward();
        }
    }
}
