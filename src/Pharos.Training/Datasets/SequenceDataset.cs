// The training rows in a seeded order that is reshuffled every epoch; its cursor (epoch, index) is all a checkpoint
// needs to continue with exactly the rows an uninterrupted run would have seen.
namespace Pharos.Training.Datasets;

public sealed record DataCursor(int Epoch, int Index);

public sealed class SequenceDataset : ITrainingRows
{
    readonly IReadOnlyList<PackedSequence> rows;
    readonly long seed;
    int[] order;

    public SequenceDataset(IReadOnlyList<PackedSequence> rows, long seed)
    {
        if (rows.Count == 0) throw new ArgumentException("no training rows: every record was empty, bad or held out");
        this.rows = rows;
        this.seed = seed;
        Cursor = new DataCursor(0, 0);
        order = OrderFor(0);
    }

    public DataCursor Cursor { get; private set; }
    public int Count => rows.Count;
    public IReadOnlyList<PackedSequence> Rows => rows;

    public void Seek(DataCursor cursor)
    {
        if (cursor.Index < 0 || cursor.Index > rows.Count) throw new ArgumentException($"data cursor {cursor} is outside {rows.Count} rows");
        Cursor = cursor;
        order = OrderFor(cursor.Epoch);
    }

    public List<PackedSequence> Next(int count)
    {
        var batch = new List<PackedSequence>(count);
        while (batch.Count < count)
        {
            if (Cursor.Index >= rows.Count)
            {
                Cursor = new DataCursor(Cursor.Epoch + 1, 0);
                order = OrderFor(Cursor.Epoch);
            }
            batch.Add(rows[order[Cursor.Index]]);
            Cursor = Cursor with { Index = Cursor.Index + 1 };
        }
        return batch;
    }

    int[] OrderFor(int epoch) => Seeds.Permutation(rows.Count, new Random(Seeds.Derive(seed, "epoch", epoch)));
}
