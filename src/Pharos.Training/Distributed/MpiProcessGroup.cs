// A process group over MPI (Open MPI or an MPICH-ABI library, loaded at run time). Collectives work on host memory:
// CUDA tensors are copied to the host, reduced and copied back (correct on a GPU cluster today; NCCL would avoid the
// copies), half-precision tensors are reduced in float32, and counts beyond a C int are sent in chunks.
using System.Security.Cryptography;
using System.Text;
using Pharos.Models.Errors;
using Pharos.Models.Safetensors;
using static TorchSharp.torch;

namespace Pharos.Training.Distributed;

public sealed unsafe class MpiProcessGroup : IProcessGroup
{
    /// <summary>Elements per MPI call: MPI counts are C ints.</summary>
    const long MaxChunk = 1L << 30;
    readonly MpiApi api;
    bool finalized;

    MpiProcessGroup(MpiApi api)
    {
        this.api = api;
        Rank = api.Rank();
        Size = api.Size();
        LocalRank = RankAmongSameHost();
    }

    /// <summary>Loads the library that fits the launcher, initialises MPI and checks that it sees the launcher's ranks.</summary>
    public static MpiProcessGroup Start(MpiLaunch launch)
    {
        var api = MpiLibrary.Load(launch);
        api.Init();
        var group = new MpiProcessGroup(api);
        if (group.Size != launch.Size)
        {
            api.Shutdown();
            throw new PharosException($"{api.Path} ({api.Abi}) sees {group.Size} rank(s) but {launch.Launcher} started {launch.Size}: "
                + $"the library does not belong to this launcher (Open MPI's mpirun and srun --mpi=pmix need Open MPI's libmpi.so.40, MPICH's mpirun "
                + $"and srun --mpi=pmi2 MPICH's libmpich.so.12; plain srun needs --mpi=pmix or --mpi=pmi2); set {MpiLaunch.LibraryVariable} to the matching library");
        }
        return group;
    }

    public int Rank { get; }
    public int Size { get; }
    public int LocalRank { get; }
    public string Description => $"MPI ({api.Abi}: {api.Version()}; {api.Path})";

    public void AllReduce(Tensor tensor, ReduceOp op = ReduceOp.Sum)
    {
        if (op == ReduceOp.Mean && !tensor.is_floating_point()) throw new ArgumentException($"the mean of {tensor.dtype} tensors is not a {tensor.dtype}");
        if (tensor.numel() == 0) return;
        using var noGrad = no_grad();
        using var host = new HostCopy(tensor, ReductionType(tensor.dtype));
        long n = host.Flat.numel();
        var p = TensorMemory.DataPointer(host.Flat);
        // MPI has no mean: sum, then divide in the reduction type (float32 for half precision).
        var mpiOp = op == ReduceOp.Mean ? ReduceOp.Sum : op;
        for (long offset = 0; offset < n; offset += MaxChunk)
            api.AllReduce(null, p + offset * host.Flat.ElementSize, (int)Math.Min(MaxChunk, n - offset), host.Type, mpiOp);
        if (op == ReduceOp.Mean) host.Flat.div_(Size);
        host.WriteBack();
    }

    public void Broadcast(Tensor tensor, int root = 0)
    {
        if (tensor.numel() == 0) return;
        using var noGrad = no_grad();
        // Bytes, not numbers: a broadcast copies, so every dtype arrives bit for bit.
        using var host = new HostCopy(tensor, tensor.dtype);
        long bytes = TensorMemory.ByteLength(host.Flat);
        var p = TensorMemory.DataPointer(host.Flat);
        for (long offset = 0; offset < bytes; offset += MaxChunk)
            api.Broadcast(p + offset, (int)Math.Min(MaxChunk, bytes - offset), MpiType.Byte, root);
        host.WriteBack();
    }

    public void AllGather(Tensor input, Tensor output)
    {
        CheckBlocks(nameof(AllGather), input, output);
        if (input.numel() == 0) return;
        using var noGrad = no_grad();
        using var send = new HostCopy(input, output.dtype);
        using var receive = new HostCopy(output, output.dtype);
        long n = send.Flat.numel(), perChunk = MaxChunk / send.Flat.ElementSize;
        using var blocks = receive.Flat.view(Size, -1);
        for (long start = 0; start < n; start += perChunk)
        {
            long len = Math.Min(perChunk, n - start);
            // Chunk c of every rank's block arrives together, then goes to each rank's block (one call when it all fits).
            using var part = send.Flat.narrow(0, start, len);
            using var gathered = len == n ? receive.Flat.alias() : empty([Size, len], send.Flat.dtype);
            api.AllGather(TensorMemory.DataPointer(part), TensorMemory.DataPointer(gathered), (int)(len * send.Flat.ElementSize), MpiType.Byte);
            if (len != n) blocks.narrow(1, start, len).copy_(gathered);
        }
        receive.WriteBack();
    }

    public void ReduceScatter(Tensor input, Tensor output)
    {
        CheckBlocks(nameof(ReduceScatter), output, input);
        if (output.numel() == 0) return;
        using var noGrad = no_grad();
        var type = ReductionType(output.dtype);
        using var send = new HostCopy(input, type);
        using var receive = new HostCopy(output, type);
        long n = receive.Flat.numel();
        using var blocks = send.Flat.view(Size, -1);
        for (long start = 0; start < n; start += MaxChunk)
        {
            long len = Math.Min(MaxChunk, n - start);
            // Each rank's part of this chunk must be contiguous: the input itself when every block fits in one call.
            using var part = len == n ? send.Flat.alias() : blocks.narrow(1, start, len).contiguous();
            using var target = receive.Flat.narrow(0, start, len);
            api.ReduceScatter(TensorMemory.DataPointer(part), TensorMemory.DataPointer(target), (int)len, send.Type, ReduceOp.Sum);
        }
        receive.WriteBack();
    }

    public void Barrier() => api.Barrier();

    public void Abort(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        api.Abort(exitCode);
        Environment.Exit(exitCode); // MPI_Abort does not return; this is only if a library lets it
    }

    public void Dispose()
    {
        if (finalized) return;
        finalized = true;
        api.Shutdown();
    }

    static ScalarType ReductionType(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 or ScalarType.Float64 or ScalarType.Int64 => dtype,
        ScalarType.BFloat16 or ScalarType.Float16 => ScalarType.Float32,
        ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte => ScalarType.Int64,
        _ => throw new ArgumentException($"cannot reduce {dtype} tensors"),
    };

    void CheckBlocks(string what, Tensor block, Tensor whole)
    {
        if (whole.numel() != block.numel() * Size || block.dtype != whole.dtype)
            throw new ArgumentException($"{what}: {whole.numel()} elements ({whole.dtype}) are not {Size} blocks of {block.numel()} ({block.dtype})");
    }

    int RankAmongSameHost()
    {
        // Hosts are told apart by a hash of their names, gathered from every rank: no launcher-specific variables needed.
        long own = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(Environment.MachineName)), 0);
        using var mine = tensor(new[] { own });
        using var all = zeros(Size, ScalarType.Int64);
        AllGather(mine, all);
        var hosts = all.data<long>().ToArray();
        return hosts.Take(Rank).Count(h => h == own);
    }
}
