// Packing keeps examples apart (document ids, restarting positions), labels are shifted targets, the cursor replays rows.
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
}
