// Packing keeps examples apart (document ids, restarting positions), labels are shifted targets, mixing meets shares.
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
    public void Mixing_meets_the_requested_shares_and_upsamples_small_sources()
    {
        var big = Enumerable.Range(0, 780).Select(i => Ex(2, i)).ToList();
        var small = Enumerable.Range(0, 50).Select(i => Ex(2, 10_000 + i)).ToList();
        var (mix, report) = DataMixer.Mix([new MixSource("general", 0.78, big), new MixSource("translation", 0.22, small)], seed: 3, total: 1000);
        Assert.Equal(1000, mix.Count);
        var translation = report.Single(r => r.Name == "translation");
        Assert.Equal(0.22, translation.ExampleShare, 3);
        Assert.Equal(4.4, translation.Passes, 3);
        var again = DataMixer.Mix([new MixSource("general", 0.78, big), new MixSource("translation", 0.22, small)], seed: 3, total: 1000).Mix;
        Assert.Equal(mix.Select(e => e.Ids[0]), again.Select(e => e.Ids[0]));
    }

    [Fact]
    public void Token_shares_weigh_long_documents_by_their_tokens()
    {
        var longDocs = Enumerable.Range(0, 30).Select(i => Ex(50, i)).ToList();
        var shortPairs = Enumerable.Range(0, 400).Select(i => Ex(5, 1000 + i)).ToList();
        var (_, report) = DataMixer.Mix([new MixSource("monolingual", 2, longDocs), new MixSource("parallel", 1, shortPairs)], seed: 1, byTokens: true);
        Assert.Equal(2.0 / 3, report[0].TokenShare, 2);
        Assert.Equal(1.0 / 3, report[1].TokenShare, 2);
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
