// AdamW with its state sharded across ranks (ZeRO stages 1 and 2): the trainable parameters are laid end to end in one
// flat float32 space cut into Size equal shards; rank r keeps the moments and float32 master weights of shard r only.
// Each step the gradients are reduce-scattered (each rank receives the summed gradients of its shard and the full ones
// are freed), the global norm comes from the shards' squared norms, each rank updates its shard with the same AdamW
// arithmetic, and the updated shards are all-gathered into every rank's parameters. Checkpoints hold full tensors.
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
    readonly Tensor master, expAvg, expAvgSq;

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
        master = zeros(shardSize, float32);
        expAvg = zeros(shardSize, float32);
        expAvgSq = zeros(shardSize, float32);
        using var noGrad = no_grad();
        foreach (var s in segments)
            using (var source = ParamSlice(s))
            using (var target = master.narrow(0, s.ShardOffset, s.Length))
                target.copy_(source);
    }

    public IReadOnlyList<(string Name, Parameter Param)> Parameters { get; }
    public long Step { get; set; }

    /// <summary>Bytes of optimizer state this rank holds (moments and master weights of its shard).</summary>
    public long StateBytes => 3 * shardSize * sizeof(float);

    public double Apply(double lr, double maxNorm)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var present = parallel.AnyRankHasGradient(Parameters.Select(p => p.Param).ToList());
        var grads = ReduceScatterGradients();
        using var squared = grads.square().sum().to(float64);
        double norm = Math.Sqrt(parallel.Sum(squared.item<double>())[0]);
        if (maxNorm > 0)
        {
            double coef = Math.Min(1.0, maxNorm / (norm + 1e-6));
            if (coef < 1) grads.mul_(coef);
        }
        Step++;
        foreach (var s in segments)
        {
            if (!present[s.Index]) continue;
            rule.Apply(master.narrow(0, s.ShardOffset, s.Length), grads.narrow(0, s.ShardOffset, s.Length),
                expAvg.narrow(0, s.ShardOffset, s.Length), expAvgSq.narrow(0, s.ShardOffset, s.Length), lr, s.Decay, Step);
        }
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

    void GatherWeights()
    {
        using var full = empty(shardSize * parallel.Size, float32);
        parallel.Group.AllGather(master, full);
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
        // Each part of the parameter comes from the rank whose shard holds it.
        using var noGrad = no_grad();
        long n = Parameters[index].Param.numel();
        var packed = empty([3, n], float32);
        for (int owner = 0; owner < parallel.Size; owner++)
        {
            long from = Math.Max(owner * shardSize, offsets[index]), to = Math.Min((owner + 1) * shardSize, offsets[index + 1]);
            if (from >= to) continue;
            using var part = empty([3, to - from], float32);
            if (owner == parallel.Rank)
            {
                long at = from - owner * shardSize;
                part[0].copy_(master.narrow(0, at, to - from));
                part[1].copy_(expAvg.narrow(0, at, to - from));
                part[2].copy_(expAvgSq.narrow(0, at, to - from));
            }
            parallel.Group.Broadcast(part, owner);
            packed.narrow(1, from - offsets[index], to - from).copy_(part);
        }
        var shape = Parameters[index].Param.shape;
        return new ParameterState(packed[0].view(shape), packed[1].view(shape), packed[2].view(shape));
    }

    public void Import(int index, Tensor weight, Tensor expAvg, Tensor expAvgSq)
    {
        using var noGrad = no_grad();
        Parameters[index].Param.copy_(weight);
        foreach (var s in segments.Where(s => s.Index == index))
        {
            foreach (var (full, shard) in new[] { (weight, master), (expAvg, this.expAvg), (expAvgSq, this.expAvgSq) })
            {
                using var flat = full.to(float32).reshape(-1);
                shard.narrow(0, s.ShardOffset, s.Length).copy_(flat.narrow(0, s.ParamOffset, s.Length));
            }
        }
    }

    Tensor ParamSlice(Segment s)
    {
        using var flat = Parameters[s.Index].Param.detach().reshape(-1);
        return flat.narrow(0, s.ParamOffset, s.Length).to(float32);
    }

    public void Dispose()
    {
        master.Dispose();
        expAvg.Dispose();
        expAvgSq.Dispose();
    }
}
