// What the Trainer draws its rows from: a deterministic sequence (fixed by the seed) read from a cursor. The rows of a
// global step are the next GradientAccumulation × MicroBatchSize rows, so a data-parallel rank can take its slice of them.
namespace Pharos.Training.Datasets;

public interface ITrainingRows
{
    /// <summary>Rows per epoch.</summary>
    int Count { get; }

    /// <summary>Where the next row comes from: all a checkpoint stores of the data.</summary>
    DataCursor Cursor { get; }

    /// <summary>Continue from <paramref name="cursor"/> (resume): O(1) apart from the epoch's order, nothing is re-read.</summary>
    void Seek(DataCursor cursor);

    /// <summary>The next <paramref name="count"/> rows, moving the cursor past them (into the next epoch when one ends).</summary>
    List<PackedSequence> Next(int count);
}
