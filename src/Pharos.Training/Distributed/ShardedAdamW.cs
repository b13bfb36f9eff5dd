// AdamW with its state sharded across ranks (ZeRO stages 1 and 2): the trainable parameters are laid end to end in one
// flat space cut into Size equal shards; rank r keeps the moments (and, for half-precision weights, the float32 master
// copy) of shard r only, so the state per rank shrinks by the world size. Each step the gradients are reduce-scattered
// in bucket-sized chunks (each rank receives the summed gradients of its shard; the full ones are then freed), the global
// norm comes from the shards' squared norms, each rank updates its shard with the same AdamW arithmetic, and the updated
// shards are all-gathered into every rank's parameters, chunk by chunk. Checkpoints hold full tensors, so any world size
// can resume them.
using Pharos.Training.Optimizers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pharos.Training.Distributed;

public sealed class ShardedAdamW : IOptimizer
{
    /// <summary>Where parameter <see cref="Index"/>'s elements [ParamOffset, ParamOffset + Length) lie in this rank's shard.</summary>
    readonly record struct Segment(int Index, long ParamOffset, long ShardOffset, long Length, bool Decay);

    readonly AdamWRule rule;
    readonly DataParallel parallel;
    readonly long[] offsets;
    readonly long shardSize;
    readonly List<Segment> segments = [];
    readonly Tensor expAvg, expAvgSq;
    /// <summary>float32 master copy of the shard when some weight is half precision; float32 weights are updated in place.</summary>
    readonly Tensor? master;

    public ShardedAdamW(IEnumerable<(string Name, Parameter Param)> parameters, DataParallel parallel, double beta1 = 0.9,
        double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01, Func<string, Parameter, bool>? decays = null)
    {
        rule = new AdamWRule(beta1, beta2, eps, weightDecay);
        this.parallel = parallel;
        decays ??= Optimizers.AdamW.DefaultDecays;
        Parameters = parameters.ToList();
        offsets = new long[Parameters.Count + 1];
        for (int i = 0; i < Parameters.Count; i++) offsets[i + 1] = offsets[i] + Parameters[i].Param.numel();
        shardSize = (offsets[^1] + parallel.Size - 1) / parallel.Size;
        long start = parallel.Rank * shardSize, end = start + shardSize;
        for (int i = 0; i < Parameters.Count; i++)
        {
            long from = Math.Max(start, offsets[i]), to = Math.Min(end, offsets[i + 1]);
            if (from < to) segments.Add(new Segment(i, from - offsets[i], from - start, to - from, decays(Parameters[i].Name, Parameters[i].Param)));
        }
        expAvg = zeros(shardSize, float32);
        expAvgSq = zeros(shardSize, float32);
        if (Parameters.Any(p => p.Param.dtype != float32))
        {
            master = zeros(shardSize, float32);
            using var noGrad = no_grad();
            foreach (var s in segments)
                using (var target = master.narrow(0, s.ShardOffset, s.Length))
                using (var source = ParamSlice(s))
                    target.copy_(source);
        }
    }

    public IReadOnlyList<(string Name, Parameter Param)> Parameters { get; }
    public long Step { get; set; }

    /// <summary>Its shard's moments and master weights only.</summary>
    public long StateBytes => (master is null ? 2 : 3) * shardSize * sizeof(float);

    public double Apply(double lr, double maxNorm)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var present = parallel.AnyRankHasGradient(Parameters.Select(p => p.Param).ToList());
        var grads = ReduceScatterGradients();
        double norm = Math.Sqrt(parallel.Sum(grads.square().sum().to(float64).item<double>())[0]);
        // Clipping rides on the update's pass over each block of the shard instead of a pass of its own.
        double coef = GradientClipping.Coefficient(norm, maxNorm);
        Step++;
        foreach (var s in segments.Where(s => present[s.Index]))
        {
            var (weight, grad) = (WeightSlice(s), grads.narrow(0, s.ShardOffset, s.Length));
            var (m, v) = (expAvg.narrow(0, s.ShardOffset, s.Length), expAvgSq.narrow(0, s.ShardOffset, s.Length));
            // As AdamW: master copies op by op, float32 weights through the update AdamW gives the whole parameter.
            if (master is null) AdamWKernel.Update(rule, weight, grad, m, v, lr, s.Decay, Step, coef, Parameters[s.Index].Param.numel());
            else rule.Apply(weight, grad, m, v, lr, s.Decay, Step, coef);
        }
        GatherWeights();
        return norm;
    }

    /// <summary>Sums the gradients over ranks, keeping this rank's shard. A chunk of c elements at the same offset of every
    /// rank's shard goes through one reduce-scatter, so only N × c extra elements exist at a time; the gradients are freed after.</summary>
    Tensor ReduceScatterGradients()
    {
        int n = parallel.Size;
        var shard = zeros(shardSize, float32);
        long chunk = Math.Max(1, Math.Min(shardSize, parallel.BucketElements / n));
        using var send = zeros(n * chunk, float32);
        for (long start = 0; start < shardSize; start += chunk)
        {
            long len = Math.Min(chunk, shardSize - start);
            using var used = send.narrow(0, 0, n * len);
            for (int q = 0; q < n; q++)
                using (var part = used.narrow(0, q * len, len))
                    CopyRange(q * shardSize + start, part, fromGradients: true);
            using var target = shard.narrow(0, start, len);
            parallel.Group.ReduceScatter(used, target);
        }
        foreach (var (_, p) in Parameters) p.grad = null;
        return shard;
    }

    /// <summary>Every rank's updated shard into every rank's parameters, chunk by chunk.</summary>
    void GatherWeights()
    {
        int n = parallel.Size;
        long chunk = Math.Max(1, Math.Min(shardSize, parallel.BucketElements / n));
        using var mine = zeros(chunk, float32);
        using var all = zeros(n * chunk, float32);
        long start0 = parallel.Rank * shardSize;
        for (long start = 0; start < shardSize; start += chunk)
        {
            long len = Math.Min(chunk, shardSize - start);
            using var send = mine.narrow(0, 0, len);
            if (master is not null) send.copy_(master.narrow(0, start, len));
            else CopyRange(start0 + start, send, fromGradients: false);
            using var received = all.narrow(0, 0, n * len);
            parallel.Group.AllGather(send, received);
            for (int q = 0; q < n; q++)
                using (var part = received.narrow(0, q * len, len))
                    WriteRange(q * shardSize + start, part);
        }
    }

    /// <summary>Copies elements [from, from + destination.numel()) of the parameters laid end to end (their gradients, or
    /// their weights) into <paramref name="destination"/>; zeros where a parameter has no gradient or past the end.</summary>
    void CopyRange(long from, Tensor destination, bool fromGradients)
    {
        destination.zero_();
        long to = from + destination.numel();
        for (int i = FirstAt(from); i < Parameters.Count && offsets[i] < to; i++)
        {
            var p = Parameters[i].Param;
            // Disposed here, not at the end of the step: a live handle would keep the gradient allocated after
            // ReduceScatterGradients drops it (through the update and the all-gather).
            using var source = fromGradients ? p.grad : p.detach();
            if (source is null) continue;
            long a = Math.Max(from, offsets[i]), b = Math.Min(to, offsets[i + 1]);
            using var flat = source.reshape(-1);
            using var piece = flat.narrow(0, a - offsets[i], b - a);
            destination.narrow(0, a - from, b - a).copy_(piece);
        }
    }

    /// <summary>Writes <paramref name="source"/> into elements [from, from + source.numel()) of the parameters laid end to end.</summary>
    void WriteRange(long from, Tensor source)
    {
        long to = Math.Min(from + source.numel(), offsets[^1]);
        for (int i = FirstAt(from); i < Parameters.Count && offsets[i] < to; i++)
        {
            long a = Math.Max(from, offsets[i]), b = Math.Min(to, offsets[i + 1]);
            using var flat = Parameters[i].Param.detach().view(-1);
            using var target = flat.narrow(0, a - offsets[i], b - a);
            using var piece = source.narrow(0, a - from, b - a);
            target.copy_(piece);
        }
    }

    /// <summary>The parameter holding flat element <paramref name="position"/> (Parameters.Count past the end).</summary>
    int FirstAt(long position)
    {
        int i = Array.BinarySearch(offsets, position);
        return i >= 0 ? i : ~i - 1;
    }

    public ParameterState Export(int index)
    {
        // Each part of the parameter comes from the rank whose shard holds it (weights: from the master copy if any).
        using var noGrad = no_grad();
        var shape = Parameters[index].Param.shape;
        var weight = Parameters[index].Param.detach().to(float32).reshape(-1).clone();
        var moments = zeros([2, Parameters[index].Param.numel()], float32);
        for (int owner = 0; owner < parallel.Size; owner++)
        {
            long from = Math.Max(owner * shardSize, offsets[index]), to = Math.Min((owner + 1) * shardSize, offsets[index + 1]);
            if (from >= to) continue;
            using var part = zeros([master is null ? 2 : 3, to - from], float32);
            if (owner == parallel.Rank)
            {
                long at = from - owner * shardSize;
                part[0].copy_(expAvg.narrow(0, at, to - from));
                part[1].copy_(expAvgSq.narrow(0, at, to - from));
                if (master is not null) part[2].copy_(master.narrow(0, at, to - from));
            }
            parallel.Group.Broadcast(part, owner);
            moments.narrow(1, from - offsets[index], to - from).copy_(part.narrow(0, 0, 2));
            if (master is not null) weight.narrow(0, from - offsets[index], to - from).copy_(part[2]);
        }
        return new ParameterState(weight.view(shape), moments[0].view(shape), moments[1].view(shape));
    }

    public void Import(int index, Tensor weight, Tensor expAvg, Tensor expAvgSq)
    {
        using var noGrad = no_grad();
        Parameters[index].Param.copy_(weight);
        foreach (var s in segments.Where(s => s.Index == index))
        {
            foreach (var (full, shard) in new[] { (weight, master), (expAvg, this.expAvg), (expAvgSq, this.expAvgSq) })
            {
                if (shard is null) continue;
                using var flat = full.to(float32).reshape(-1);
                shard.narrow(0, s.ShardOffset, s.Length).copy_(flat.narrow(0, s.ParamOffset, s.Length));
            }
        }
    }

    /// <summary>The float32 weights of a segment, updated in place: a slice of the master copy or a view of the parameter.</summary>
    Tensor WeightSlice(Segment s)
    {
        if (master is not null) return master.narrow(0, s.ShardOffset, s.Length);
        using var flat = Parameters[s.Index].Param.detach().view(-1);
        return flat.narrow(0, s.ParamOffset, s.Length);
    }

    Tensor ParamSlice(Segment s)
    {
        using var flat = Parameters[s.Index].Param.detach().reshape(-1);
        return flat.narrow(0, s.ParamOffset, s.Length).to(float32);
    }

    public void Dispose()
    {
        expAvg.Dispose();
        expAvgSq.Dispose();
        master?.Dispose();
    }
}
