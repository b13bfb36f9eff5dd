// One micro-batch as tensors: input ids, next-token labels (-100 = no loss), positions and per-token document ids for packing.
using static TorchSharp.torch;

namespace Pharos.Training.Datasets;

public sealed class Batch : IDisposable
{
    public const long IgnoreIndex = -100;

    public required Tensor InputIds { get; init; }
    /// <summary>labels[b, t] is the token that position t must predict (already shifted), or -100.</summary>
    public required Tensor Labels { get; init; }
    public required Tensor PositionIds { get; init; }
    /// <summary>Per-token document index when several examples share a row (packing); null for one document per row.</summary>
    public Tensor? DocumentIds { get; init; }
    /// <summary>Tokens that carry a loss (labels != -100): the unit the trainer normalises by.</summary>
    public required long TargetTokens { get; init; }
    /// <summary>All tokens in the batch (for tokens/s).</summary>
    public required long Tokens { get; init; }
    /// <summary>The rows this batch was built from (preference and GRPO objectives read their records and keys).</summary>
    public IReadOnlyList<PackedSequence> Rows { get; init; } = [];
    /// <summary>The micro-batch's index within its optimizer step over all ranks: dropout and GRPO's sampling are seeded by
    /// it, so a micro-batch draws the same numbers whichever rank computes it.</summary>
    public int Slot { get; init; }

    public void Dispose()
    {
        InputIds.Dispose();
        Labels.Dispose();
        PositionIds.Dispose();
        DocumentIds?.Dispose();
    }
}
