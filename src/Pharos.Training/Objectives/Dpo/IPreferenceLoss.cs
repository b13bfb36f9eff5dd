// One DPO loss variant (TRL's loss_type): per-pair loss from the implicit reward margin. Each variant is its own small unit.
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Dpo;

public interface IPreferenceLoss
{
    /// <summary>TRL's loss_type name.</summary>
    string Name { get; }

    /// <summary>True when the variant works on per-token average log-probs (IPO) rather than sums.</summary>
    bool AveragesLogProbs => false;

    /// <summary>True when label_smoothing means something to this variant (TRL: robust; sigmoid ignores it since TRL 1.0).</summary>
    bool UsesLabelSmoothing => false;

    /// <param name="logits">[B] (log πθ(y_w) − log πref(y_w)) − (log πθ(y_l) − log πref(y_l))</param>
    /// <returns>[B] per-pair losses</returns>
    Tensor Loss(Tensor logits, double beta, double labelSmoothing);
}
