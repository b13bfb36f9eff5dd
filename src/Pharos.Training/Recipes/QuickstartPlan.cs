// The quickstart as YAML (configs/quickstart.yaml): curation of the bundled crawl into CPT's monolingual data, tokenizer
// training, then the four Tower+ stages — CPT from scratch, SFT, WPO on on-policy pairs, GRPO on verifiable rewards — and
// the evaluation run before the first and after every stage. Data paths are relative to the repository root; stage
// outputs, model paths and the curated CPT source are filled in by the quickstart.
namespace Pharos.Training.Recipes;

public sealed class QuickstartPlan
{
    public string Output { get; set; } = "runs/quickstart";
    /// <summary>Raw web pages → curated per-language shards → CPT's monolingual source.</summary>
    public CurationStepPlan Curation { get; set; } = new();
    /// <summary>The tokenizer trains on its inputs plus the curated shards.</summary>
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

/// <summary>`pharos curate` and `pharos curate rehydrate` as the quickstart's first step.</summary>
public sealed class CurationStepPlan
{
    /// <summary>A curation recipe (repository-relative); it runs as committed except that its output goes into the run folder.</summary>
    public string Recipe { get; set; } = "configs/curate-fineweb2.yaml";
    /// <summary>Languages (as language ID labels them) whose kept documents feed CPT.</summary>
    public List<string> Languages { get; set; } = [];
    /// <summary>The cpt.data.sources entry whose paths become the curated shards.</summary>
    public string Source { get; set; } = "monolingual";
    /// <summary>Copies per MinHash cluster size: rates (this run's filter removal rates), table (FineWeb2's fixed table) or none.</summary>
    public string Rehydration { get; set; } = "rates";
    /// <summary>rates: the most copies a document gets.</summary>
    public int MaxCopies { get; set; } = 5;
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
