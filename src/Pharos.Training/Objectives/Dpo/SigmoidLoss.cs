// DPO's original loss: −log σ(β·logits) (TRL loss_type "sigmoid", the default; TRL ≥ 1.0 applies no label smoothing here,
// that is loss_type "robust").
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Dpo;

public sealed class SigmoidLoss : IPreferenceLoss
{
    public string Name => "sigmoid";

    public Tensor Loss(Tensor logits, double beta, double labelSmoothing) => -nn.functional.logsigmoid(logits * beta);
}
