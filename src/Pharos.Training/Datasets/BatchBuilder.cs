// Turns packed rows into a Batch: right-pads to the longest row, shifts targets into next-token labels, builds positions and document ids.
using static TorchSharp.torch;

namespace Pharos.Training.Datasets;

public static class BatchBuilder
{
    /// <param name="padId">id written into padding positions (never a target, never attended by real tokens)</param>
    /// <param name="slot">the micro-batch's index in its optimizer step (see <see cref="Batch.Slot"/>)</param>
    public static Batch Build(IReadOnlyList<PackedSequence> rows, int padId, Device device, int slot = 0)
    {
        int b = rows.Count, t = rows.Max(r => r.Length);
        var ids = new long[b * t];
        var labels = new long[b * t];
        var positions = new long[b * t];
        var docs = new long[b * t];
        bool packed = rows.Any(r => r.DocIds.Length > 0 && r.DocIds[^1] != r.DocIds[0]) || rows.Any(r => r.Length < t);
        long targets = 0, tokens = 0;
        for (int row = 0; row < b; row++)
        {
            var r = rows[row];
            for (int i = 0; i < t; i++)
            {
                int k = row * t + i;
                if (i < r.Length)
                {
                    ids[k] = r.Ids[i];
                    positions[k] = r.Positions[i];
                    docs[k] = r.DocIds[i];
                    tokens++;
                    // Position i predicts token i+1 when that token is a target of the same document.
                    bool target = i + 1 < r.Length && r.Targets[i + 1] && r.DocIds[i + 1] == r.DocIds[i];
                    labels[k] = target ? r.Ids[i + 1] : Batch.IgnoreIndex;
                    if (target) targets++;
                }
                else
                {
                    // Padding is its own document: real tokens never attend to it and it carries no loss.
                    ids[k] = padId;
                    positions[k] = 0;
                    docs[k] = -1;
                    labels[k] = Batch.IgnoreIndex;
                }
            }
        }
        return new Batch
        {
            InputIds = tensor(ids, [b, t], device: device),
            Labels = tensor(labels, [b, t], device: device),
            PositionIds = tensor(positions, [b, t], device: device),
            DocumentIds = packed ? tensor(docs, [b, t], device: device) : null,
            TargetTokens = targets,
            Tokens = tokens,
            Rows = rows,
            Slot = slot,
        };
    }
}
