// Reference = a separate frozen model (full fine-tuning, or a reference other than the starting point), kept in eval mode.
using Pharos.Models.Transformer;
using Pharos.Training.Datasets;
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Dpo;

public sealed class ModelReference : IReferenceLogProbs
{
    readonly CausalLM reference;

    public ModelReference(CausalLM reference)
    {
        this.reference = reference;
        foreach (var p in reference.parameters()) p.requires_grad = false;
        reference.eval();
    }

    public Tensor LogProbs(CausalLM policy, Batch batch)
    {
        using var noGrad = no_grad();
        using var lp = PairLogProbs.Compute(reference, batch, wpo: false);
        return lp.Sum.detach().clone();
    }
}
