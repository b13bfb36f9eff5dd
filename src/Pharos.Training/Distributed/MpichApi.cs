// The MPICH ABI (MPICH, Intel MPI, Cray MPICH, MVAPICH): handles are 32-bit integer constants fixed by mpi.h
// (MPI_COMM_WORLD 0x44000000, MPI_FLOAT 0x4c00040a, MPI_SUM 0x58000003 …); MPI_IN_PLACE is (void*)−1.
namespace Pharos.Training.Distributed;

internal sealed unsafe class MpichApi : MpiApi
{
    const int World = 0x44000000;
    // Indexed by MpiType: MPI_FLOAT, MPI_DOUBLE, MPI_INT64_T, MPI_BYTE.
    static readonly int[] Types = [0x4c00040a, 0x4c00080b, 0x4c00083a, 0x4c00010d];
    // Indexed by ReduceOp: MPI_SUM, MPI_MAX, MPI_MIN.
    static readonly int[] Ops = [0x58000003, 0x58000001, 0x58000002];
    readonly delegate* unmanaged<void*, void*, int, int, int, int, int> allReduce;
    readonly delegate* unmanaged<void*, int, int, int, int, int> broadcast;
    readonly delegate* unmanaged<void*, int, int, void*, int, int, int, int> allGather;
    readonly delegate* unmanaged<void*, void*, int, int, int, int, int> reduceScatter;
    readonly delegate* unmanaged<int, int> barrier;
    readonly delegate* unmanaged<int, int*, int> rank, size;
    readonly delegate* unmanaged<int, int, int> abort;

    public MpichApi(nint library, string path) : base(library, path)
    {
        allReduce = (delegate* unmanaged<void*, void*, int, int, int, int, int>)Export("MPI_Allreduce");
        broadcast = (delegate* unmanaged<void*, int, int, int, int, int>)Export("MPI_Bcast");
        allGather = (delegate* unmanaged<void*, int, int, void*, int, int, int, int>)Export("MPI_Allgather");
        reduceScatter = (delegate* unmanaged<void*, void*, int, int, int, int, int>)Export("MPI_Reduce_scatter_block");
        barrier = (delegate* unmanaged<int, int>)Export("MPI_Barrier");
        rank = (delegate* unmanaged<int, int*, int>)Export("MPI_Comm_rank");
        size = (delegate* unmanaged<int, int*, int>)Export("MPI_Comm_size");
        abort = (delegate* unmanaged<int, int, int>)Export("MPI_Abort");
    }

    public override string Abi => "MPICH ABI";
    protected override nint InPlace => -1;

    public override void Abort(int code) => abort(World, code);

    protected override int AllReduceCall(void* send, void* recv, int count, MpiType type, ReduceOp op) =>
        allReduce(send, recv, count, Types[(int)type], Ops[(int)op], World);

    protected override int BroadcastCall(void* buffer, int count, MpiType type, int root) => broadcast(buffer, count, Types[(int)type], root, World);

    protected override int AllGatherCall(void* send, void* recv, int countPerRank, MpiType type) =>
        allGather(send, countPerRank, Types[(int)type], recv, countPerRank, Types[(int)type], World);

    protected override int ReduceScatterCall(void* send, void* recv, int countPerRank, MpiType type, ReduceOp op) =>
        reduceScatter(send, recv, countPerRank, Types[(int)type], Ops[(int)op], World);

    protected override int BarrierCall() => barrier(World);
    protected override int RankCall(int* r) => rank(World, r);
    protected override int SizeCall(int* s) => size(World, s);
}
