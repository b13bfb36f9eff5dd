// Reference = the policy's own frozen base with LoRA switched off: no second copy of the weights in memory.
using Pharos.Models.Transformer;
using Pharos.Training.Adapters;
using Pharos.Training.Datasets;
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Dpo;

public sealed class AdapterOffReference : IReferenceLogProbs
{
    public Tensor LogProbs(CausalLM policy, Batch batch)
    {
        using var noGrad = no_grad();
        using var off = new AdaptersDisabled(policy);
        using var lp = PairLogProbs.Compute(policy, batch, wpo: false);
        return lp.Sum.detach().clone();
    }
}
