// Where the reference model's log-probs come from: the policy with its adapters off, a separate frozen model, or a disk cache.
using Pharos.Models.Transformer;
using Pharos.Training.Datasets;
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Dpo;

public interface IReferenceLogProbs
{
    /// <returns>[B, 2] summed log πref of the chosen and rejected completions, without gradient</returns>
    Tensor LogProbs(CausalLM policy, Batch batch);
}
