// Open MPI's ABI: MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM … are the addresses of objects libmpi.so.40 exports
// (ompi_mpi_comm_world, ompi_mpi_float, ompi_mpi_op_sum), passed as pointers; MPI_IN_PLACE is (void*)1.
namespace Pharos.Training.Distributed;

internal sealed unsafe class OpenMpiApi : MpiApi
{
    readonly nint world;
    readonly nint[] types, ops;
    readonly delegate* unmanaged<void*, void*, int, nint, nint, nint, int> allReduce;
    readonly delegate* unmanaged<void*, int, nint, int, nint, int> broadcast;
    readonly delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int> allGather;
    readonly delegate* unmanaged<void*, void*, int, nint, nint, nint, int> reduceScatter;
    readonly delegate* unmanaged<nint, int> barrier;
    readonly delegate* unmanaged<nint, int*, int> rank, size;
    readonly delegate* unmanaged<nint, int, int> abort;

    public OpenMpiApi(nint library, string path) : base(library, path)
    {
        world = Export("ompi_mpi_comm_world");
        // Indexed by MpiType and ReduceOp.
        types = [Export("ompi_mpi_float"), Export("ompi_mpi_double"), Export("ompi_mpi_int64_t"), Export("ompi_mpi_byte")];
        ops = [Export("ompi_mpi_op_sum"), Export("ompi_mpi_op_max"), Export("ompi_mpi_op_min")];
        allReduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Export("MPI_Allreduce");
        broadcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Export("MPI_Bcast");
        allGather = (delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int>)Export("MPI_Allgather");
        reduceScatter = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Export("MPI_Reduce_scatter_block");
        barrier = (delegate* unmanaged<nint, int>)Export("MPI_Barrier");
        rank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
        size = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
        abort = (delegate* unmanaged<nint, int, int>)Export("MPI_Abort");
    }

    /// <summary>Open MPI is recognised by its exported communicator object.</summary>
    public static bool Recognises(nint library) => System.Runtime.InteropServices.NativeLibrary.TryGetExport(library, "ompi_mpi_comm_world", out _);

    public override string Abi => "Open MPI";
    protected override nint InPlace => 1;

    public override void Abort(int code) => abort(world, code);

    protected override int AllReduceCall(void* send, void* recv, int count, MpiType type, ReduceOp op) =>
        allReduce(send, recv, count, types[(int)type], ops[(int)op], world);

    protected override int BroadcastCall(void* buffer, int count, MpiType type, int root) => broadcast(buffer, count, types[(int)type], root, world);

    protected override int AllGatherCall(void* send, void* recv, int countPerRank, MpiType type) =>
        allGather(send, countPerRank, types[(int)type], recv, countPerRank, types[(int)type], world);

    protected override int ReduceScatterCall(void* send, void* recv, int countPerRank, MpiType type, ReduceOp op) =>
        reduceScatter(send, recv, countPerRank, types[(int)type], ops[(int)op], world);

    protected override int BarrierCall() => barrier(world);
    protected override int RankCall(int* r) => rank(world, r);
    protected override int SizeCall(int* s) => size(world, s);
}
