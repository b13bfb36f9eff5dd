// The Trainer's settings, with defaults that suit a small run; recipes fill these from YAML.
using Pharos.Training.Optimizers;
using Pharos.Training.Precision;

namespace Pharos.Training;

public sealed record TrainerOptions
{
    public int MaxSteps { get; init; } = 100;
    public int MicroBatchSize { get; init; } = 4;
    /// <summary>Micro-batches each rank computes per optimizer step; the step's global batch is
    /// MicroBatchSize × GradientAccumulation × the number of ranks.</summary>
    public int GradientAccumulation { get; init; } = 1;
    public double LearningRate { get; init; } = 2e-4;
    public int WarmupSteps { get; init; } = 0;
    public DecayShape Schedule { get; init; } = DecayShape.Cosine;
    public double MinLrRatio { get; init; } = 0.0;
    public double WeightDecay { get; init; } = 0.0;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Epsilon { get; init; } = 1e-8;
    /// <summary>Global gradient-norm clip; 0 turns it off.</summary>
    public double MaxGradNorm { get; init; } = 1.0;
    /// <summary>Eval loss every N steps (0 = only at the end).</summary>
    public int EvalEvery { get; init; } = 0;
    /// <summary>Checkpoint every N steps (0 = only at the end).</summary>
    public int SaveEvery { get; init; } = 0;
    public int KeepLast { get; init; } = 2;
    public long Seed { get; init; } = 42;
    /// <summary>"full" or "lora": recorded in checkpoints so a resume of the other kind refuses.</summary>
    public string Method { get; init; } = "full";
    /// <summary>ZeRO-1/2: each rank keeps 1/N of the AdamW moments and float32 master weights (ShardedAdamW).</summary>
    public bool ShardOptimizer { get; init; }
    /// <summary>Compute and master dtypes (recorded in checkpoints: a resume under another precision refuses). Recipes
    /// default to bf16 where the hardware computes it natively; null (a Trainer built in code) computes in the model's
    /// own dtype, with float32 master copies in AdamW for half-precision weights.</summary>
    public PrecisionPolicy? Precision { get; init; }
}
