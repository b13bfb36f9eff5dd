// IPO (Azar et al. 2023): (logits − 1/(2β))² on per-token average log-probs, as TRL's loss_type "ipo" computes it.
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Dpo;

public sealed class IpoLoss : IPreferenceLoss
{
    public string Name => "ipo";

    public bool AveragesLogProbs => true;

    public Tensor Loss(Tensor logits, double beta, double labelSmoothing) => (logits - 1 / (2 * beta)).pow(2);
}
