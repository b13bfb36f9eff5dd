// AdamW with its state sharded across ranks (ZeRO stages 1 and 2): the trainable parameters are laid end to end in one
// flat space cut into Size equal shards; rank r keeps the moments (and, for half-precision weights, the float32 master
// copy) of shard r only, so the state per rank shrinks by the world size. Each step the gradients are reduce-scattered
// (each rank receives the summed gradients of its shard and the full ones are freed), the global norm comes from the
// shards' squared norms, each rank updates its shard with the same AdamW arithmetic, and the updated shards are
// all-gathered into every rank's parameters. Checkpoints hold full tensors, so any world size can resume them.
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

    /// <summary>Bytes of optimizer state this rank holds: its shard's moments and master weights.</summary>
    public long StateBytes => (master is null ? 2 : 3) * shardSize * sizeof(float);

    public double Apply(double lr, double maxNorm)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var present = parallel.AnyRankHasGradient(Parameters.Select(p => p.Param).ToList());
        var grads = ReduceScatterGradients();
        double norm = Math.Sqrt(parallel.Sum(grads.square().sum().to(float64).item<double>())[0]);
        if (maxNorm > 0)
        {
            double coef = Math.Min(1.0, maxNorm / (norm + 1e-6));
            if (coef < 1) grads.mul_(coef);
        }
        Step++;
        foreach (var s in segments.Where(s => present[s.Index]))
            rule.Apply(WeightSlice(s), grads.narrow(0, s.ShardOffset, s.Length), expAvg.narrow(0, s.ShardOffset, s.Length),
                expAvgSq.narrow(0, s.ShardOffset, s.Length), lr, s.Decay, Step);
        GatherWeights();
        return norm;
    }

    /// <summary>Copies each gradient into a flat buffer (freeing it), then sums over ranks, keeping this rank's shard.</summary>
    Tensor ReduceScatterGradients()
    {
        var full = zeros(shardSize * parallel.Size, float32);
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i].Param;
            if (p.grad is null) continue;
            using (var flat = p.grad.reshape(-1)) full.narrow(0, offsets[i], p.numel()).copy_(flat);
            p.grad = null;
        }
        var shard = empty(shardSize, float32);
        parallel.Group.ReduceScatter(full, shard);
        full.Dispose();
        return shard;
    }

    /// <summary>Every rank's updated shard into every rank's parameters.</summary>
    void GatherWeights()
    {
        using var shard = master?.alias() ?? zeros(shardSize, float32);
        if (master is null)
            foreach (var s in segments)
                using (var source = ParamSlice(s))
                    shard.narrow(0, s.ShardOffset, s.Length).copy_(source);
        using var full = empty(shardSize * parallel.Size, float32);
        parallel.Group.AllGather(shard, full);
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i].Param;
            using var part = full.narrow(0, offsets[i], p.numel());
            using var shaped = part.view(p.shape);
            p.copy_(shaped);
        }
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
