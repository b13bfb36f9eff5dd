// The `dpo:` block of a recipe (stage: dpo), under TRL's DPOConfig names.
namespace Pharos.Training.Recipes;

public sealed class DpoSection
{
    public double Beta { get; set; } = 0.1;
    /// <summary>sigmoid, robust, ipo or hinge.</summary>
    public string LossType { get; set; } = "sigmoid";
    /// <summary>robust only: the probability that a preference label is flipped.</summary>
    public double LabelSmoothing { get; set; }
    public double RpoAlpha { get; set; }
    /// <summary>WPO: weight each pair by w(x,y_w)·w(x,y_l).</summary>
    public bool UseWeighting { get; set; }
    /// <summary>Compute reference log-probs once before training and cache them in the output folder (ref_logps.json).</summary>
    public bool PrecomputeRefLogProbs { get; set; }
    /// <summary>A separate reference model folder; default: the policy with adapters off (LoRA) or the starting model.</summary>
    public string RefModel { get; set; } = "";
}
