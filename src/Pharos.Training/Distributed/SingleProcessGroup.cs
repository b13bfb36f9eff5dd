// The group of one process: every collective is the identity, so a plain `pharos train` pays nothing for distribution.
using static TorchSharp.torch;

namespace Pharos.Training.Distributed;

public sealed class SingleProcessGroup : IProcessGroup
{
    public static readonly SingleProcessGroup Instance = new();

    public int Rank => 0;
    public int Size => 1;
    public int LocalRank => 0;
    public string Description => "single process";

    public void AllReduce(Tensor tensor, ReduceOp op = ReduceOp.Sum)
    {
        if (op == ReduceOp.Mean && !tensor.is_floating_point()) throw new ArgumentException($"the mean of {tensor.dtype} tensors is not a {tensor.dtype}");
    }

    public void Broadcast(Tensor tensor, int root = 0)
    {
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), "a single-process group has only rank 0");
    }

    public void AllGather(Tensor input, Tensor output)
    {
        using var noGrad = no_grad();
        output.view(-1).copy_(input.reshape(-1));
    }

    public void ReduceScatter(Tensor input, Tensor output)
    {
        using var noGrad = no_grad();
        output.view(-1).copy_(input.reshape(-1));
    }

    public void Barrier() { }

    public void Abort(int exitCode) => Environment.Exit(exitCode);

    public void Dispose() { }
}
