// The quickstart as YAML (configs/quickstart.yaml): tokenizer training, then the four Tower+ stages — CPT from scratch,
// SFT, WPO on on-policy pairs, GRPO on verifiable rewards — and the evaluation run before the first and after every
// stage. Data paths are relative to the repository root; stage outputs and model paths are filled in by the quickstart.
namespace Pharos.Training.Recipes;

public sealed class QuickstartPlan
{
    public string Output { get; set; } = "runs/quickstart";
    public TokenizerPlan Tokenizer { get; set; } = new();
    /// <summary>The CPT stage; its model.tokenizer and output are filled in by the quickstart.</summary>
    public Recipe Cpt { get; set; } = new() { Stage = "cpt" };
    /// <summary>The SFT stage; it starts from the CPT model.</summary>
    public Recipe Sft { get; set; } = new() { Stage = "sft" };
    /// <summary>How the WPO pairs are made: sampled from the SFT model and ranked by rewards.</summary>
    public PairsPlan Prefs { get; set; } = new();
    /// <summary>The WPO stage (stage: dpo with use_weighting); it starts from the SFT model and reads the built pairs.</summary>
    public Recipe Wpo { get; set; } = new() { Stage = "dpo" };
    /// <summary>The GRPO stage; it starts from the WPO model.</summary>
    public Recipe Grpo { get; set; } = new() { Stage = "grpo" };
    public QuickstartEvalPlan Eval { get; set; } = new();
}

public sealed class TokenizerPlan
{
    public int VocabSize { get; set; } = 4096;
    public int MinFrequency { get; set; } = 2;
    public List<string> Inputs { get; set; } = [];
}

/// <summary>`pharos prefs build` as a step: prompts with references, N samples each, best vs worst by the rewards.</summary>
public sealed class PairsPlan
{
    public string Input { get; set; } = "";
    public int NumSamples { get; set; } = 4;
    public double Temperature { get; set; } = 1.0;
    public int MaxNewTokens { get; set; } = 48;
    public List<RewardSection> Rewards { get; set; } = [];
}

/// <summary>The suites `pharos eval` runs, on the quickstart's small held-out sets, with short greedy answers.</summary>
public sealed class QuickstartEvalPlan
{
    /// <summary>Held-out translation pairs (source_lang, target_lang, source, reference): BLEU and chrF.</summary>
    public string Translation { get; set; } = "";
    /// <summary>IF-MT-style requests: instruction adherence next to quality.</summary>
    public string Ifmt { get; set; } = "";
    /// <summary>IFEval prompts: general instruction following.</summary>
    public string Ifeval { get; set; } = "";
    public int MaxNewTokens { get; set; } = 48;
    public int BatchSize { get; set; } = 16;
    /// <summary>Evaluate only the first N items of each suite (0 = all).</summary>
    public int Limit { get; set; }
}
