// The `grpo:` block of a recipe (stage: grpo), under TRL's GRPOConfig names, with the reward functions by name.
namespace Pharos.Training.Recipes;

public sealed class GrpoSection
{
    public int NumGenerations { get; set; } = 8;
    public int MaxCompletionLength { get; set; } = 64;
    public double Temperature { get; set; } = 1.0;
    public int TopK { get; set; }
    public double TopP { get; set; } = 1.0;
    public double Epsilon { get; set; } = 0.2;
    public double? EpsilonHigh { get; set; }
    public double Beta { get; set; }
    public int NumIterations { get; set; } = 1;
    public string ScaleRewards { get; set; } = "group";
    public string LossType { get; set; } = "dapo";
    /// <summary>A separate reference model folder for the KL term (beta > 0); default: adapters off (LoRA) or the starting model.</summary>
    public string RefModel { get; set; } = "";
    public List<RewardSection> Rewards { get; set; } = [];
}

public sealed class RewardSection
{
    /// <summary>contains, ends_with, chrf, bleu, comet, cometkiwi, length_penalty, target_script, ifeval, ifmt, or any Eval verifier id.</summary>
    public string Name { get; set; } = "";
    public double Weight { get; set; } = 1.0;
    /// <summary>Record column the reward reads (default per reward: reference, answer, target_lang, kwargs, instructions).</summary>
    public string Column { get; set; } = "";
    /// <summary>comet / cometkiwi: the COMET model folder (hparams.yaml + checkpoints/model.ckpt, or a safetensors export).</summary>
    public string Model { get; set; } = "";
    /// <summary>comet / cometkiwi: the XLM-R encoder's tokenizer folder, when neither the model folder nor the Hugging Face cache has it.</summary>
    public string Encoder { get; set; } = "";
    /// <summary>comet / cometkiwi: where the reward model runs (cpu, cuda).</summary>
    public string Device { get; set; } = "cpu";
}
