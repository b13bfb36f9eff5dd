// DPO's original loss: −log σ(β·logits), with conservative-DPO label smoothing (TRL loss_type "sigmoid", the default).
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Dpo;

public sealed class SigmoidLoss : IPreferenceLoss
{
    public string Name => "sigmoid";

    public Tensor Loss(Tensor logits, double beta, double labelSmoothing) =>
        -nn.functional.logsigmoid(logits * beta) * (1 - labelSmoothing) - nn.functional.logsigmoid(logits * -beta) * labelSmoothing;
}
