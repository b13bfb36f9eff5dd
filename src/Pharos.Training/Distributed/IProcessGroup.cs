// The ranks of a data-parallel job and the collectives the Trainer needs, on TorchSharp tensors: MPI underneath today
// (MpiProcessGroup), one process that does nothing (SingleProcessGroup), room for NCCL behind the same members.
using static TorchSharp.torch;

namespace Pharos.Training.Distributed;

/// <summary>How AllReduce combines the ranks' values; Mean is the sum divided by the world size (floating point only).</summary>
public enum ReduceOp { Sum, Max, Min, Mean }

public interface IProcessGroup : IDisposable
{
    /// <summary>This process's index, 0 … Size − 1; rank 0 writes files and prints progress.</summary>
    int Rank { get; }

    int Size { get; }

    /// <summary>Index among the ranks on this machine (which GPU or socket this rank uses).</summary>
    int LocalRank { get; }

    /// <summary>Which engine and library carry the collectives (for logs and `pharos distributed check`).</summary>
    string Description { get; }

    /// <summary>Combines the tensor element-wise across ranks, in place: every rank ends with the same values.
    /// Half-precision tensors are reduced (and a mean divided) in float32.</summary>
    void AllReduce(Tensor tensor, ReduceOp op = ReduceOp.Sum);

    /// <summary>Copies <paramref name="root"/>'s values into the tensor on every rank (bit-exact for every dtype).</summary>
    void Broadcast(Tensor tensor, int root = 0);

    /// <summary>output (Size × input.numel() elements) receives every rank's input, in rank order.</summary>
    void AllGather(Tensor input, Tensor output);

    /// <summary>Sums input (Size × output.numel() elements) across ranks; rank r receives block r of the sum.</summary>
    void ReduceScatter(Tensor input, Tensor output);

    void Barrier();

    /// <summary>Ends every rank of the job now with this exit code (a failing rank must not leave the others waiting).</summary>
    void Abort(int exitCode);
}
