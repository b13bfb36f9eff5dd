// The quickstart as YAML (configs/quickstart.yaml): tokenizer training, a CPT stage from scratch, an SFT stage, and the
// held-out translation set scored with chrF before and after SFT. Data paths are relative to the repository root.
namespace Pharos.Training.Recipes;

public sealed class QuickstartPlan
{
    public string Output { get; set; } = "runs/quickstart";
    public TokenizerPlan Tokenizer { get; set; } = new();
    /// <summary>The CPT stage; its model.tokenizer and output are filled in by the quickstart.</summary>
    public Recipe Cpt { get; set; } = new() { Stage = "cpt" };
    /// <summary>The SFT stage; it starts from the CPT model.</summary>
    public Recipe Sft { get; set; } = new() { Stage = "sft" };
    public TranslationEvalPlan Eval { get; set; } = new();
}

public sealed class TokenizerPlan
{
    public int VocabSize { get; set; } = 4096;
    public int MinFrequency { get; set; } = 2;
    public List<string> Inputs { get; set; } = [];
}

public sealed class TranslationEvalPlan
{
    /// <summary>JSONL with source_lang, target_lang, source, reference.</summary>
    public string File { get; set; } = "";
    public int MaxNewTokens { get; set; } = 48;
    public int BatchSize { get; set; } = 16;
}
