// Robust DPO (Chowdhury et al. 2024), TRL loss_type "robust": an unbiased sigmoid loss when a preference is flipped with
// probability ε = label_smoothing: ((1 − ε)·(−log σ(β·logits)) − ε·(−log σ(−β·logits))) / (1 − 2ε).
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Dpo;

public sealed class RobustLoss : IPreferenceLoss
{
    public string Name => "robust";

    public bool UsesLabelSmoothing => true;

    public Tensor Loss(Tensor logits, double beta, double labelSmoothing) =>
        (-nn.functional.logsigmoid(logits * beta) * (1 - labelSmoothing) + nn.functional.logsigmoid(logits * -beta) * labelSmoothing)
        / (1 - 2 * labelSmoothing);
}
