// A stage's data: the training rows (a seeded, resumable sequence), the held-out eval rows, the realised mix and the
// resources behind the rows (memory-mapped shards), which the stage disposes when it ends.
namespace Pharos.Training.Datasets;

public sealed record TrainingData(SequenceDataset Train, IReadOnlyList<PackedSequence> Eval, IReadOnlyList<MixShare> Mix, long TrainTargetTokens)
{
    public IDisposable? Resources { get; init; }
}
