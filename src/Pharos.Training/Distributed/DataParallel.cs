// What the Trainer asks of the process group, at fixed points of its loop: rank 0's initial weights to every rank;
// this rank's share of a global step's micro-batches; the step's loss units summed over ranks (before any loss is
// divided, so the normalisation is that of one big batch); gradients summed after the last backward; metrics summed
// at the step's end; and whether this rank writes (rank 0). With one process every call returns at once.
using Pharos.Training.Datasets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pharos.Training.Distributed;

/// <param name="Slot">the micro-batch's index in the whole global step (seeds dropout and GRPO sampling, so every
/// world size draws the same numbers for it)</param>
public sealed record MicroBatchRows(int Slot, List<PackedSequence> Rows);

public sealed class DataParallel
{
    /// <summary>Default bucket: 25 MiB of float32 gradients per all-reduce, PyTorch DDP's default.</summary>
    public const long DefaultBucketBytes = 25L << 20;

    public static readonly DataParallel None = new(SingleProcessGroup.Instance);

    readonly long bucketElements;

    public DataParallel(IProcessGroup group, long bucketBytes = DefaultBucketBytes)
    {
        Group = group;
        bucketElements = Math.Max(1, bucketBytes / sizeof(float));
    }

    public IProcessGroup Group { get; }

    /// <summary>float32 elements one collective moves at a time (gradient buckets, sharded optimizer chunks).</summary>
    public long BucketElements => bucketElements;
    public int Rank => Group.Rank;
    public int Size => Group.Size;

    /// <summary>Rank 0 alone writes metrics, checkpoints and the final model, and prints progress.</summary>
    public bool IsWriter => Group.Rank == 0;

    /// <summary>Makes every rank start from rank 0's values (initial weights built, loaded or initialised on each rank).</summary>
    public void BroadcastFromWriter(IEnumerable<Tensor> tensors)
    {
        if (Size == 1) return;
        foreach (var t in tensors) Group.Broadcast(t, 0);
    }

    /// <summary>This rank's contiguous block of a global step (<paramref name="perRank"/> × Size micro-batches of
    /// <paramref name="microBatchSize"/> rows): it reads only its own rows and skips the others', so the data cursor moves
    /// exactly as one process's would and a checkpoint's cursor is the same on every rank and for any world size.</summary>
    public List<MicroBatchRows> TakeSlice(int perRank, int microBatchSize, ITrainingRows rows)
    {
        var mine = new List<MicroBatchRows>(perRank);
        rows.Skip(Rank * perRank * microBatchSize);
        for (int i = 0; i < perRank; i++) mine.Add(new MicroBatchRows(Rank * perRank + i, rows.Next(microBatchSize)));
        rows.Skip((Size - 1 - Rank) * perRank * microBatchSize);
        return mine;
    }

    public long Sum(long value)
    {
        if (Size == 1) return value;
        using var t = tensor(new[] { value });
        Group.AllReduce(t);
        return t.item<long>();
    }

    public double[] Sum(params double[] values)
    {
        if (Size == 1 || values.Length == 0) return values;
        using var t = tensor(values);
        Group.AllReduce(t);
        return t.data<double>().ToArray();
    }

    /// <summary>Sums per-key values over ranks; a key some rank lacks (it skipped every micro-batch) counts as 0 there.</summary>
    public Dictionary<string, double> Sum(IReadOnlyDictionary<string, double> values)
    {
        if (Size == 1) return new Dictionary<string, double>(values, StringComparer.Ordinal);
        var keys = ProcessGroupText.AllGather(Group, string.Join('\n', values.Keys.Order(StringComparer.Ordinal)))
            .SelectMany(k => k.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Distinct().Order(StringComparer.Ordinal).ToList();
        var sums = Sum(keys.Select(k => values.GetValueOrDefault(k)).ToArray());
        return keys.Select((k, i) => (k, sums[i])).ToDictionary(p => p.k, p => p.Item2, StringComparer.Ordinal);
    }

    /// <summary>Which parameters have a gradient on some rank; the others stay without one everywhere, as they would in one
    /// process (AdamW skips them), and a rank that had no backward pass contributes zeros for the rest.</summary>
    public bool[] AnyRankHasGradient(IReadOnlyList<Parameter> parameters)
    {
        var local = parameters.Select(p => p.grad is null ? 0.0 : 1.0).ToArray();
        return Sum(local).Select(v => v > 0).ToArray();
    }

    /// <summary>Sums every parameter's gradient over ranks: large float32 host gradients in place, one all-reduce each;
    /// the others (small, bf16, GPU) in flat float32 buckets, one all-reduce per bucket (bf16 is summed in float32).
    /// Called once per optimizer step, after the last micro-batch's backward.</summary>
    public void SumGradients(IReadOnlyList<Parameter> parameters)
    {
        if (Size == 1) return;
        var present = AnyRankHasGradient(parameters);
        var summed = parameters.Where((_, i) => present[i]).ToList();
        if (summed.Count == 0) return;
        using var noGrad = no_grad();
        foreach (var p in summed) p.grad ??= zeros_like(p);
        // MPI sums a large float32 host gradient where it lies: no copy into a bucket and back (two passes over 4 bytes
        // per weight, which two ranks on one memory system share). Small ones still share buckets (one call for many).
        // The split rests on dtype, device and size alone, which every rank has alike, so the collectives pair up.
        foreach (var p in summed.Where(InPlace))
        {
            if (!p.grad!.is_contiguous()) p.grad = p.grad.contiguous();
            Group.AllReduce(p.grad);
        }
        var bucketed = summed.Where(p => !InPlace(p)).ToList();
        if (bucketed.Count == 0) return;
        // One buffer, reused bucket after bucket; a parameter larger than a bucket is a bucket of its own.
        long capacity = Math.Max(Math.Min(bucketElements, bucketed.Sum(p => p.numel())), bucketed.Max(p => p.numel()));
        using var bucket = empty(capacity, float32);
        var pending = new List<Parameter>();
        long filled = 0;
        void Flush()
        {
            using var used = bucket.narrow(0, 0, filled);
            Group.AllReduce(used);
            long offset = 0;
            foreach (var p in pending)
            {
                using var part = used.narrow(0, offset, p.numel());
                using var shaped = part.view(p.shape);
                p.grad!.copy_(shaped);
                offset += p.numel();
            }
            pending.Clear();
            filled = 0;
        }
        foreach (var p in bucketed)
        {
            long n = p.numel();
            if (filled + n > capacity) Flush();
            using (var part = bucket.narrow(0, filled, n))
            using (var flat = p.grad!.reshape(-1))
                part.copy_(flat);
            pending.Add(p);
            filled += n;
        }
        Flush();
    }

    /// <summary>Gradients of at least this many float32 elements (1 MiB) are all-reduced in place, not through a bucket.</summary>
    public const long InPlaceElements = 1L << 18;

    static bool InPlace(Parameter p) => p.grad!.dtype == float32 && p.grad.device_type == DeviceType.CPU && p.numel() >= InPlaceElements;
}
