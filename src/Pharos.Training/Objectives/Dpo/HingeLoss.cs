// SLiC's hinge loss on the reward margin: relu(1 − β·logits) (TRL loss_type "hinge"; label smoothing does not apply).
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Dpo;

public sealed class HingeLoss : IPreferenceLoss
{
    public string Name => "hinge";

    public Tensor Loss(Tensor logits, double beta, double labelSmoothing) => nn.functional.relu(1 - logits * beta);
}
