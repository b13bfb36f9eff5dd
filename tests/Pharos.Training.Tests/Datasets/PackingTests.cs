// Packing keeps examples apart (document ids, restarting positions), labels are shifted targets, the cursor replays rows,
// and skipping rows (another rank's share of a step) moves the cursor as reading them would without building them.
// (Mixing by share is tested on shards: ShardPipelineTests.)
using Pharos.Training.Datasets;

namespace Pharos.Training.Tests.Datasets;

public class PackingTests
{
    static TokenizedExample Ex(int n, int start, bool allTargets = true) =>
        new(Enumerable.Range(start, n).ToArray(), Enumerable.Range(0, n).Select(i => allTargets || i > 0).ToArray(), "f", 1);

    [Fact]
    public void Sft_packing_gives_each_example_its_own_document_and_positions()
    {
        var rows = Packer.PackExamples([Ex(3, 10), Ex(2, 20), Ex(4, 30)], 6);
        Assert.Equal(2, rows.Count);
        Assert.Equal([0, 0, 0, 1, 1], rows[0].DocIds);
        Assert.Equal([0, 1, 2, 0, 1], rows[0].Positions);
        using var batch = BatchBuilder.Build(rows, padId: 0, TorchSharp.torch.CPU);
        // Row 0: 10→11, 11→12, 12 predicts nothing (the next token is another document), 20→21, 21 ends; row 1 is padded.
        Assert.Equal([11L, 12, -100, 21, -100], batch.Labels[0].data<long>().ToArray());
        Assert.Equal([31L, 32, 33, -100, -100], batch.Labels[1].data<long>().ToArray());
        Assert.Equal(6, batch.TargetTokens);
        Assert.NotNull(batch.DocumentIds);
    }

    [Fact]
    public void Cpt_stream_packing_cuts_fixed_rows()
    {
        var rows = Packer.PackStream([Ex(5, 0), Ex(5, 100)], 4);
        Assert.Equal([4, 4, 2], rows.Select(r => r.Length));
        Assert.Equal([0, 1, 2, 3], rows[0].Ids);
        Assert.Equal([4, 100, 101, 102], rows[1].Ids);
    }

    [Fact]
    public void Dataset_cursor_replays_the_same_rows()
    {
        var rows = Enumerable.Range(0, 7).Select(i => new PackedSequence([i], [true], [0], [0])).ToList();
        var a = new SequenceDataset(rows, 5);
        var first = Enumerable.Range(0, 5).Select(_ => a.Next(3).Select(r => r.Ids[0]).ToArray()).ToList();
        var b = new SequenceDataset(rows, 5);
        b.Next(3); b.Next(3);
        var cursor = b.Cursor;
        var c = new SequenceDataset(rows, 5);
        c.Seek(cursor);
        Assert.Equal(first[2], c.Next(3).Select(r => r.Ids[0]).ToArray());
        Assert.Equal(first[3], c.Next(3).Select(r => r.Ids[0]).ToArray());
    }

    /// <summary>Rows built on demand, as ShardRows builds them from the maps; counts the rows built.</summary>
    sealed class CountingRows(int count) : IReadOnlyList<PackedSequence>
    {
        public int Built { get; private set; }
        public int Count => count;
        public PackedSequence this[int index]
        {
            get
            {
                Built++;
                return new PackedSequence([index], [true], [0], [0]);
            }
        }
        public IEnumerator<PackedSequence> GetEnumerator() => Enumerable.Range(0, count).Select(i => this[i]).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public void Skipping_rows_moves_the_cursor_like_reading_them_without_building_them()
    {
        var all = new SequenceDataset(new CountingRows(7), 5);
        var read = Enumerable.Range(0, 6).Select(_ => all.Next(3).Select(r => r.Ids[0]).ToArray()).ToList();
        // Rank 1 of 3 in steps of 3 micro-batches of 1 row: skip rank 0's row, read its own, skip rank 2's; across epochs.
        var rows = new CountingRows(7);
        var rank1 = new SequenceDataset(rows, 5);
        for (int step = 0; step < 6; step++)
        {
            rank1.Skip(1);
            Assert.Equal(read[step][1], rank1.Next(1)[0].Ids[0]);
            rank1.Skip(1);
        }
        Assert.Equal(all.Cursor, rank1.Cursor);
        Assert.Equal(new DataCursor(2, 4), rank1.Cursor);
        Assert.Equal(6, rows.Built);
    }
}
