// A training stage as YAML describes it. Every field has a default; names are the YAML keys in snake_case
// (RecipeBinder maps `micro_batch_size` to MicroBatchSize). Validation names the key it rejects.
namespace Pharos.Training.Recipes;

public sealed class Recipe
{
    /// <summary>cpt (packed text stream, loss on every token), sft (chat, loss on assistant tokens), dpo (preference pairs,
    /// DPO/WPO) or grpo (prompts, sampled completions scored by rewards).</summary>
    public string Stage { get; set; } = "sft";
    public long Seed { get; set; } = 42;
    /// <summary>Run folder: checkpoints/, metrics.jsonl, tensorboard/, final model or adapter.</summary>
    public string Output { get; set; } = "runs/train";
    public ModelSection Model { get; set; } = new();
    public DataSection Data { get; set; } = new();
    public TrainSection Train { get; set; } = new();
    public LoraSection Lora { get; set; } = new();
    public DpoSection Dpo { get; set; } = new();
    public GrpoSection Grpo { get; set; } = new();
    /// <summary>full, lora or sparselora; empty = lora when lora.enabled, else full. sparselora uses the lora section for the adapters.</summary>
    public string Adapter { get; set; } = "";
    public SparseloraSection Sparselora { get; set; } = new();

    /// <summary>The adapter kind this recipe trains with, after the lora.enabled shorthand.</summary>
    public string AdapterKind => Adapter.Length > 0 ? Adapter : Lora.Enabled ? "lora" : "full";
}

/// <summary>SparseLoRA (adapter: sparselora): a preset scaled to the model's depth, per-layer overrides, and when to be sparse.</summary>
public sealed class SparseloraSection
{
    /// <summary>none, conservative or aggressive.</summary>
    public string Preset { get; set; } = "aggressive";
    /// <summary>Rank of the SVD estimator.</summary>
    public int Rank { get; set; } = 8;
    /// <summary>Steps before this run dense; -1 = the first 5% of train.max_steps.</summary>
    public int StartStep { get; set; } = -1;
    /// <summary>Steps from this one run dense again; -1 = sparse to the end.</summary>
    public int EndStep { get; set; } = -1;
    /// <summary>Answer tokens (those with a loss) dense, context tokens sparse; false makes every token sparse (CPT).</summary>
    public bool DenseOutputTokens { get; set; } = true;
    /// <summary>Also slice the LoRA branch on context rows: lora_B's kept output rows (q/k/v/gate/up), lora_A's kept input
    /// columns (o/down). The paper keeps it dense.</summary>
    public bool SparseLoraBranch { get; set; }
    /// <summary>Per-layer overrides by layer index: `layers.5.mlp: 0.9`, `layers.5.self_attn: 0` (0 = dense).</summary>
    public Dictionary<string, LayerSparsitySection> Layers { get; set; } = [];
}

public sealed class LayerSparsitySection
{
    public double? Mlp { get; set; }
    public double? SelfAttn { get; set; }
}

public sealed class ModelSection
{
    /// <summary>Hugging Face folder to start from; empty with `new` set builds a model from scratch.</summary>
    public string Path { get; set; } = "";
    /// <summary>Tokenizer folder; default: the model folder.</summary>
    public string Tokenizer { get; set; } = "";
    /// <summary>float32, bfloat16, float16, or auto (the checkpoint's own dtype: a bf16 checkpoint stays bf16 throughout).</summary>
    public string Dtype { get; set; } = "float32";
    public string Device { get; set; } = "cpu";
    public NewModelSection? New { get; set; }
}

/// <summary>A from-scratch model from a family and a few sizes; the rest is derived (heads of 64 dims, MLP ≈ 8/3·hidden).</summary>
public sealed class NewModelSection
{
    public string Family { get; set; } = "llama";
    public int HiddenSize { get; set; } = 128;
    public int NumLayers { get; set; } = 4;
    /// <summary>0 = hidden_size / head_dim.</summary>
    public int NumHeads { get; set; }
    /// <summary>0 = num_heads / 2 (grouped-query attention), at least 1.</summary>
    public int NumKvHeads { get; set; }
    public int HeadDim { get; set; } = 32;
    /// <summary>0 = 8/3 · hidden_size rounded up to a multiple of 32.</summary>
    public int IntermediateSize { get; set; }
    public int MaxPositionEmbeddings { get; set; } = 2048;
    public double InitStd { get; set; } = 0.02;
    /// <summary>0 = the tokenizer's vocabulary; larger sizes a model like a real checkpoint's (Llama 3: 128256).</summary>
    public int VocabSize { get; set; }
    public bool TieWordEmbeddings { get; set; } = true;
    public double RopeTheta { get; set; } = 10000.0;
}

public sealed class DataSection
{
    public int SequenceLength { get; set; } = 1024;
    /// <summary>SFT: several examples per row with per-document attention (false: one example per row).</summary>
    public bool Pack { get; set; } = true;
    public double EvalFraction { get; set; } = 0.05;
    public int EvalMax { get; set; } = 256;
    /// <summary>What source shares measure: tokens, examples, or auto (tokens for cpt, examples for sft).</summary>
    public string ShareBy { get; set; } = "auto";
    /// <summary>Stop at the first bad record instead of counting and quarantining it.</summary>
    public bool Strict { get; set; }
    /// <summary>Folder of token shards (cpt/sft): made once per input file, reused by reruns and resumes; empty = OUTPUT/shards.</summary>
    public string Shards { get; set; } = "";
    /// <summary>Input files tokenized in parallel; 0 = one per core.</summary>
    public int TokenizeWorkers { get; set; }
    public List<SourceSection> Sources { get; set; } = [];
}

public sealed class SourceSection
{
    public string Name { get; set; } = "";
    /// <summary>Files, folders of files (a `pharos curate` output), or token-shard folders from `pharos data tokenize`.</summary>
    public List<string> Paths { get; set; } = [];
    public double Share { get; set; } = 1.0;
    /// <summary>FineWeb2 rehydration weights from `pharos curate rehydrate` (documents repeated by MinHash cluster size); empty = none.</summary>
    public string Rehydration { get; set; } = "";
}

public sealed class TrainSection
{
    public int MaxSteps { get; set; } = 100;
    public int MicroBatchSize { get; set; } = 4;
    /// <summary>Micro-batches per rank per optimizer step (ignored in favour of global_batch_size when that is set).</summary>
    public int GradientAccumulation { get; set; } = 1;
    /// <summary>Rows per optimizer step over all ranks, the same for any world size; 0 = micro_batch_size ×
    /// gradient_accumulation × world size.</summary>
    public int GlobalBatchSize { get; set; }
    /// <summary>ZeRO-1/2 style: each rank keeps 1/N of the AdamW moments and float32 master weights; checkpoints hold full tensors.</summary>
    public bool ShardOptimizer { get; set; }
    /// <summary>MiB of float32 gradients each collective moves at a time across ranks (PyTorch DDP's bucket_cap_mb).</summary>
    public double BucketMb { get; set; } = 25;
    public double Lr { get; set; } = 2e-4;
    public int WarmupSteps { get; set; }
    public string Schedule { get; set; } = "cosine";
    public double MinLrRatio { get; set; }
    public double WeightDecay { get; set; }
    public double MaxGradNorm { get; set; } = 1.0;
    public int EvalEvery { get; set; }
    public int SaveEvery { get; set; }
    public int KeepLast { get; set; } = 2;
    /// <summary>auto (bf16 where the hardware computes it natively: CUDA, CPUs with AVX512-BF16 or AMX; else fp32), bf16
    /// (bf16 matmuls and activations over float32 master weights, AdamW state and gradients) or fp32.</summary>
    public string Precision { get; set; } = "auto";
    /// <summary>How libtorch runs the float32 matmuls that remain (all of them under precision fp32): ieee (its BLAS, exact
    /// float32; the default) or bf16 (oneDNN with bf16 math allowed: bf16 math on AMX CPUs, oneDNN's AVX-512 float32 kernel
    /// elsewhere; PyTorch's torch.backends.mkldnn.matmul.fp32_precision). docs/PRECISION.md has what each gives.</summary>
    public string Fp32Matmul { get; set; } = "ieee";
    /// <summary>Recompute each decoder layer's activations in the backward pass instead of keeping them (dropout replayed):
    /// activation memory of one layer input per layer, for one more forward.</summary>
    public bool GradientCheckpointing { get; set; }
    /// <summary>Also write the merged full model after a LoRA run (so the next stage can start from it).</summary>
    public bool MergeAdapter { get; set; }
}

public sealed class LoraSection
{
    public bool Enabled { get; set; }
    public int R { get; set; } = 16;
    public double Alpha { get; set; } = 32;
    public double Dropout { get; set; } = 0.05;
    public List<string> TargetModules { get; set; } = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];
    public bool UseRslora { get; set; }
    public bool UseDora { get; set; }
}
