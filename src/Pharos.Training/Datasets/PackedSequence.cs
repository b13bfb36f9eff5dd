// One training row: token ids, which of them are targets, and (when examples are packed) their document index and positions.
namespace Pharos.Training.Datasets;

/// <param name="Ids">token ids of the row (length ≤ sequence length; shorter rows are padded when batched)</param>
/// <param name="Targets">Targets[i]: token i is predicted by the model (its loss counts)</param>
/// <param name="DocIds">document index of each token, so packed examples never attend to each other</param>
/// <param name="Positions">position ids restarting at 0 for each document</param>
public sealed record PackedSequence(int[] Ids, bool[] Targets, int[] DocIds, int[] Positions)
{
    public int Length => Ids.Length;
    /// <summary>The source record, kept where an objective needs its columns (GRPO rewards see every column).</summary>
    public System.Text.Json.Nodes.JsonObject? Record { get; init; }
}
