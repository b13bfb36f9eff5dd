// The MPI functions Pharos calls, bound by name from a libmpi loaded at run time. The two MPI ABIs differ only in how
// handles (communicator, datatypes, operations) are passed: Open MPI's are addresses of exported objects
// (OpenMpiApi), MPICH and its derivatives (Intel MPI, Cray MPICH, MVAPICH) use integer constants (MpichApi).
using System.Runtime.InteropServices;
using Pharos.Models.Errors;

namespace Pharos.Training.Distributed;

internal enum MpiType { Float32, Float64, Int64, Byte }

internal abstract unsafe class MpiApi
{
    const int ThreadSerialized = 2; // MPI_THREAD_SERIALIZED in both ABIs: one thread at a time calls MPI
    readonly delegate* unmanaged<int*, byte***, int, int*, int> initThread;
    readonly delegate* unmanaged<int*, int> initialized, finalized;
    readonly delegate* unmanaged<int> finalize;
    readonly delegate* unmanaged<byte*, int*, int> libraryVersion;
    readonly delegate* unmanaged<int, byte*, int*, int> errorString;

    protected MpiApi(nint library, string path)
    {
        Library = library;
        Path = path;
        initThread = (delegate* unmanaged<int*, byte***, int, int*, int>)Export("MPI_Init_thread");
        initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        finalized = (delegate* unmanaged<int*, int>)Export("MPI_Finalized");
        finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        libraryVersion = (delegate* unmanaged<byte*, int*, int>)Export("MPI_Get_library_version");
        errorString = (delegate* unmanaged<int, byte*, int*, int>)Export("MPI_Error_string");
    }

    protected nint Library { get; }

    /// <summary>The file the library was loaded from (or the name the loader resolved).</summary>
    public string Path { get; }

    /// <summary>"Open MPI" or "MPICH ABI".</summary>
    public abstract string Abi { get; }

    /// <summary>The MPI_IN_PLACE marker of this ABI.</summary>
    protected abstract nint InPlace { get; }

    protected nint Export(string name) => NativeLibrary.TryGetExport(Library, name, out var address) ? address
        : throw new PharosException($"{Path}: not a usable MPI library (no {name})");

    public void Init()
    {
        int flag, provided;
        Check(initialized(&flag), "MPI_Initialized");
        if (flag == 0) Check(initThread(null, null, ThreadSerialized, &provided), "MPI_Init_thread");
    }

    public void Shutdown()
    {
        int flag;
        Check(finalized(&flag), "MPI_Finalized");
        if (flag == 0) Check(finalize(), "MPI_Finalize");
    }

    /// <summary>MPI_Get_library_version's first line, e.g. "Open MPI v4.1.4, …" or "MPICH Version: 4.0.2".</summary>
    public string Version()
    {
        var buffer = new byte[8192]; // MPI_MAX_LIBRARY_VERSION_STRING is 256 (Open MPI) or 8192 (MPICH)
        int length;
        fixed (byte* b = buffer) Check(libraryVersion(b, &length), "MPI_Get_library_version");
        var text = System.Text.Encoding.UTF8.GetString(buffer, 0, Math.Clamp(length, 0, buffer.Length)).TrimEnd('\0');
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
    }

    protected void Check(int code, string what)
    {
        if (code == 0) return;
        var buffer = new byte[512]; // MPI_MAX_ERROR_STRING covers both ABIs
        int length = 0;
        fixed (byte* b = buffer) errorString(code, b, &length);
        throw new PharosException($"{what} failed with MPI error {code}: {System.Text.Encoding.UTF8.GetString(buffer, 0, Math.Clamp(length, 0, buffer.Length))}");
    }

    /// <summary>send may be null for an in-place reduction into recv.</summary>
    public void AllReduce(void* send, void* recv, int count, MpiType type, ReduceOp op) =>
        Check(AllReduceCall(send is null ? (void*)InPlace : send, recv, count, type, op), "MPI_Allreduce");

    public void Broadcast(void* buffer, int count, MpiType type, int root) => Check(BroadcastCall(buffer, count, type, root), "MPI_Bcast");

    public void AllGather(void* send, void* recv, int countPerRank, MpiType type) => Check(AllGatherCall(send, recv, countPerRank, type), "MPI_Allgather");

    public void ReduceScatter(void* send, void* recv, int countPerRank, MpiType type, ReduceOp op) =>
        Check(ReduceScatterCall(send, recv, countPerRank, type, op), "MPI_Reduce_scatter_block");

    public void Barrier() => Check(BarrierCall(), "MPI_Barrier");

    public int Rank()
    {
        int rank;
        Check(RankCall(&rank), "MPI_Comm_rank");
        return rank;
    }

    public int Size()
    {
        int size;
        Check(SizeCall(&size), "MPI_Comm_size");
        return size;
    }

    public abstract void Abort(int code);

    protected abstract int AllReduceCall(void* send, void* recv, int count, MpiType type, ReduceOp op);
    protected abstract int BroadcastCall(void* buffer, int count, MpiType type, int root);
    protected abstract int AllGatherCall(void* send, void* recv, int countPerRank, MpiType type);
    protected abstract int ReduceScatterCall(void* send, void* recv, int countPerRank, MpiType type, ReduceOp op);
    protected abstract int BarrierCall();
    protected abstract int RankCall(int* rank);
    protected abstract int SizeCall(int* size);
}
