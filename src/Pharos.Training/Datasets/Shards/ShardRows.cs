// The training rows of a streaming mix, built on demand from memory-mapped shards: a row is a slice of the packed stream
// (CPT) or a run of whole documents with their own positions and document ids (SFT). Only small index arrays live in
// memory; tokens are copied from the maps when a row is asked for, and the maps' resident pages are given back as reading
// goes on, so memory does not grow with the corpus.
namespace Pharos.Training.Datasets.Shards;

public sealed class ShardRows : IReadOnlyList<PackedSequence>, IDisposable
{
    /// <summary>Bytes of the maps touched (in whole pages: rows are read in shuffled order, each touching its own pages)
    /// between two releases of their resident pages: this bounds the loader's share of RSS whatever the corpus size.</summary>
    const long ReleaseEvery = 16L << 20;
    const long FaultAround = 64L << 10;

    readonly IReadOnlyList<TokenShard> shards;
    readonly long[] documents;   // (shard << 40) | document index
    readonly int[] mix;          // indices into documents, in mix order
    readonly long[]? streamStart; // CPT: where mix item i starts in the packed stream (mix.Length + 1 entries)
    readonly int[]? rowStart;     // SFT: the first mix item of each row (Count + 1 entries)
    readonly int sequenceLength;
    readonly long streamTokens;
    long copiedSinceRelease;

    internal ShardRows(IReadOnlyList<TokenShard> shards, long[] documents, int[] mix, bool streamPacking, int sequenceLength, bool pack)
    {
        this.shards = shards;
        this.documents = documents;
        this.mix = mix;
        this.sequenceLength = sequenceLength;
        if (streamPacking)
        {
            streamStart = new long[mix.Length + 1];
            for (int i = 0; i < mix.Length; i++) streamStart[i + 1] = streamStart[i] + Document(mix[i]).Length;
            streamTokens = streamStart[^1];
            // As Packer.PackStream: full rows, then the remainder when it has at least two tokens (one predicts the other).
            long rows = streamTokens / sequenceLength + (streamTokens % sequenceLength > 1 ? 1 : 0);
            Count = checked((int)rows);
        }
        else
        {
            // As Packer.PackExamples: a new row when the next document does not fit (or every document alone without packing).
            var starts = new List<int>();
            if (mix.Length > 0) starts.Add(0);
            long used = 0;
            for (int i = 0; i < mix.Length; i++)
            {
                int length = Document(mix[i]).Length;
                if (used > 0 && (!pack || used + length > sequenceLength))
                {
                    starts.Add(i);
                    used = 0;
                }
                used += length;
            }
            starts.Add(mix.Length);
            rowStart = [.. starts];
            Count = rowStart.Length - 1;
        }
    }

    public int Count { get; }

    /// <summary>Mix items (documents, repeated where upsampled) in the order they are packed.</summary>
    public int MixLength => mix.Length;

    ShardDocument Document(int index)
    {
        long key = documents[index];
        return shards[(int)(key >> 40)].Document(key & ((1L << 40) - 1));
    }

    TokenShard ShardOf(int index) => shards[(int)(documents[index] >> 40)];

    public PackedSequence this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
            var row = streamStart is not null ? StreamRow(index) : ExampleRow(index);
            // Ids and mask bytes, plus what the kernel maps around each page fault (up to 64 KiB, "fault-around") at the row's
            // tokens and at its documents' index entries: rows are read in shuffled order, so each faults on its own.
            copiedSinceRelease += row.Length * (shards[0].TokenBytes + 1L) + FaultAround * 2;
            if (copiedSinceRelease >= ReleaseEvery)
            {
                foreach (var s in shards) s.ReleaseResident();
                copiedSinceRelease = 0;
            }
            return row;
        }
    }

    PackedSequence StreamRow(int r)
    {
        long start = (long)r * sequenceLength;
        int length = (int)Math.Min(sequenceLength, streamTokens - start);
        var ids = new int[length];
        var targets = new bool[length];
        // The mix item holding the row's first token: the last one starting at or before it.
        var starts = streamStart!;
        int item = Array.BinarySearch(starts, start);
        if (item < 0) item = ~item - 1;
        int filled = 0;
        while (filled < length)
        {
            var doc = Document(mix[item]);
            long offset = start + filled - starts[item];
            int n = (int)Math.Min(doc.Length - offset, length - filled);
            var shard = ShardOf(mix[item]);
            shard.CopyIds(doc.Start + offset, ids.AsSpan(filled, n));
            shard.CopyTargets(doc.Start + offset, targets.AsSpan(filled, n));
            filled += n;
            item++;
        }
        var positions = new int[length];
        for (int i = 0; i < length; i++) positions[i] = i;
        return new PackedSequence(ids, targets, new int[length], positions);
    }

    PackedSequence ExampleRow(int r)
    {
        int first = rowStart![r], end = rowStart[r + 1];
        int length = 0;
        for (int i = first; i < end; i++) length += Document(mix[i]).Length;
        var ids = new int[length];
        var targets = new bool[length];
        var docs = new int[length];
        var positions = new int[length];
        int at = 0;
        for (int i = first; i < end; i++)
        {
            var doc = Document(mix[i]);
            var shard = ShardOf(mix[i]);
            shard.CopyIds(doc.Start, ids.AsSpan(at, doc.Length));
            shard.CopyTargets(doc.Start, targets.AsSpan(at, doc.Length));
            for (int k = 0; k < doc.Length; k++)
            {
                docs[at + k] = i - first;
                positions[at + k] = k;
            }
            at += doc.Length;
        }
        return new PackedSequence(ids, targets, docs, positions);
    }

    public IEnumerator<PackedSequence> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        foreach (var s in shards) s.Dispose();
    }
}
