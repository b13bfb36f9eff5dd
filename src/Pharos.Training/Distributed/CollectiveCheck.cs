// `pharos distributed check`: every collective the Trainer uses, run on values whose result each rank can compute on its
// own (float32, bfloat16 reduced in float32, a mean, float64, int64, a non-contiguous view, a tensor bigger than one bucket,
// the Trainer's gradient sum in place and in buckets),
// so a broken MPI set-up fails here with the collective's name rather than as a wrong loss later.
using Pharos.Models.Errors;
using static TorchSharp.torch;

namespace Pharos.Training.Distributed;

public static class CollectiveCheck
{
    /// <returns>one line per collective that gave the expected values; throws naming the first that did not</returns>
    public static List<string> Run(IProcessGroup group)
    {
        int n = group.Size, r = group.Rank;
        var passed = new List<string>();
        void Expect(string what, Tensor actual, Tensor expected)
        {
            if (!actual.shape.SequenceEqual(expected.shape) || !actual.to(float64).eq(expected.to(float64)).all().item<bool>())
                throw new PharosException($"rank {r} of {n}: {what} gave wrong values ({string.Join(", ", actual.to(float64).reshape(-1).data<double>().Take(4))} …)");
            passed.Add(what);
        }
        using var scope = NewDisposeScope();
        double triangle = n * (n + 1) / 2.0;

        var f32 = full(1000, r + 1.0, float32);
        group.AllReduce(f32);
        Expect("all_reduce sum float32", f32, full(1000, triangle, float32));

        var bf16 = full(64, (r + 1) * 0.5, bfloat16);
        group.AllReduce(bf16);
        Expect("all_reduce sum bfloat16 (in float32)", bf16, full(64, triangle * 0.5, bfloat16));

        // The mean of 1 … n is (n + 1) / 2, in bfloat16 divided in float32.
        var mean = full(16, r + 1.0, bfloat16);
        group.AllReduce(mean, ReduceOp.Mean);
        Expect("all_reduce mean bfloat16 (in float32)", mean, full(16, (n + 1) / 2.0, bfloat16));

        var f64 = tensor(new[] { (double)r, -r });
        group.AllReduce(f64, ReduceOp.Max);
        Expect("all_reduce max float64", f64, tensor(new[] { n - 1.0, 0 }));

        var i64 = tensor(new[] { (long)r + (1L << 40) });
        group.AllReduce(i64, ReduceOp.Min);
        Expect("all_reduce min int64", i64, tensor(new[] { 1L << 40 }));

        // A transposed view is not contiguous: it is staged through a copy and written back.
        var strided = (arange(12, float32).view(3, 4) * (r + 1)).t();
        group.AllReduce(strided);
        Expect("all_reduce sum of a non-contiguous view", strided, (arange(12, float32).view(3, 4) * triangle).t());

        var large = full(3_000_000, 1f, float32);
        group.AllReduce(large);
        Expect("all_reduce sum of 3M elements", large, full(3_000_000, (float)n, float32));

        int root = n - 1;
        var pattern = rand([257], bfloat16, generator: new Generator(7));
        var sent = r == root ? pattern.clone() : zeros(257, bfloat16);
        group.Broadcast(sent, root);
        Expect($"broadcast bfloat16 from rank {root} (bit-exact)", sent, pattern);

        var gathered = zeros(n * 3, int64);
        group.AllGather(full(3, r, int64), gathered);
        Expect("all_gather int64", gathered, arange(n, int64).repeat_interleave(3));

        var scattered = zeros(4, float32);
        group.ReduceScatter(arange(n * 4, float32) + r, scattered);
        Expect("reduce_scatter sum float32", scattered, arange(r * 4, r * 4 + 4, float32) * n + n * (n - 1) / 2.0);

        // The Trainer's gradient sum: a large float32 gradient (non-contiguous here) reduced in place, a small one and a
        // bf16 one through a bucket, and one that rank 0 lacks (it counts as zeros there).
        var parameters = new[] { (Shape: new long[] { 700, 600 }, Type: float32), ([10], float32), ([24], bfloat16), ([5], float32) }
            .Select(p => new TorchSharp.Modules.Parameter(zeros(p.Shape, p.Type))).ToList();
        parameters[0].grad = full([600, 700], r + 1.0, float32).t();
        parameters[1].grad = full(10, r + 1.0, float32);
        parameters[2].grad = full(24, r + 1.0, bfloat16);
        if (r > 0) parameters[3].grad = full(5, r + 1.0, float32);
        new DataParallel(group).SumGradients(parameters);
        Expect("gradient sum, large float32 in place", parameters[0].grad!, full([700, 600], triangle, float32));
        Expect("gradient sum, small float32 in a bucket", parameters[1].grad!, full(10, triangle, float32));
        Expect("gradient sum, bfloat16 in a float32 bucket", parameters[2].grad!, full(24, triangle, bfloat16));
        if (n > 1) Expect("gradient sum, missing on rank 0", parameters[3].grad!, full(5, triangle - 1, float32));
        else if (parameters[3].grad is null) passed.Add("gradient sum, missing on every rank stays missing");
        else throw new PharosException("gradient sum: a gradient no rank has was created");

        group.Barrier();
        passed.Add("barrier");
        return passed;
    }
}
