// SparseLoRA settings: which layers are sparse and how much, the estimator rank, and when sparsity applies.
namespace Pharos.Training.Adapters.SparseLora;

public sealed record SparseLoraOptions
{
    public required SparsitySchedule Schedule { get; init; }
    /// <summary>Rank of the SVD estimator of each frozen weight (the paper uses 8).</summary>
    public int EstimatorRank { get; init; } = 8;
    /// <summary>Steps before this one run dense (the paper keeps the first 5% dense: see <see cref="DefaultStartStep"/>).</summary>
    public int StartStep { get; init; }
    /// <summary>Steps from this one on run dense again; null = sparse to the end.</summary>
    public int? EndStep { get; init; }
    /// <summary>Positions whose outputs carry a loss (answer tokens) are computed dense; only context tokens are sparse.</summary>
    public bool DenseOutputTokens { get; init; } = true;
    /// <summary>Slice the LoRA branch like the base projection (lora_B's kept output rows, lora_A's kept input columns) on
    /// context rows; the paper keeps the branch dense.</summary>
    public bool SparseLoraBranch { get; init; }

    public static int DefaultStartStep(int maxSteps) => (int)Math.Ceiling(0.05 * maxSteps);
}
