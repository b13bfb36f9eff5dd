// Runs a kernel's parts on libtorch's own OpenMP threads (libgomp's GOMP_parallel, the call `#pragma omp parallel` makes),
// instead of on threads of Pharos's own. In a training step Pharos's kernels sit between libtorch's ops: with a pool of
// its own, the OpenMP worker that just finished a GEMM kept spinning on the core a Pharos worker needed (GOMP_SPINCOUNT),
// and a Pharos worker pausing after its job held the core the next GEMM's OpenMP thread needed: three busy threads on two
// cores. On OpenMP's threads the worker that is spinning for libtorch's next region takes Pharos's job at once, and the
// cores are never asked for more threads than libtorch's team.
// libgomp is found through libtorch_cpu.so (a symbol looked up on a library's handle resolves in it and then in the
// libraries it needs), so this is the copy libtorch's regions use; where it is not there (another OpenMP runtime, another
// OS) the kernel pool keeps threads of its own.
using System.Runtime.InteropServices;

namespace Pharos.Models.Kernels;

internal static unsafe class OpenMpTeam
{
    sealed class Job(Action<int> work, int parts)
    {
        public readonly Action<int> Work = work;
        public readonly int Parts = parts;
        public Exception? Failure;
    }

    static readonly delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void> parallel;
    static readonly delegate* unmanaged<int> threadNumber, teamSize;

    /// <summary>True when libtorch's libgomp was found (Linux libtorch built with GNU OpenMP, as TorchSharp's is).</summary>
    public static bool Available { get; }

    static OpenMpTeam()
    {
        try
        {
            TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU); // makes libtorch_cpu.so resident first
            if (!NativeLibrary.TryLoad("libtorch_cpu.so", typeof(TorchSharp.torch).Assembly, null, out var library)
                && !NativeLibrary.TryLoad("libtorch_cpu.so", out library))
                return;
            if (!NativeLibrary.TryGetExport(library, "GOMP_parallel", out var p)
                || !NativeLibrary.TryGetExport(library, "omp_get_thread_num", out var number)
                || !NativeLibrary.TryGetExport(library, "omp_get_num_threads", out var size))
                return;
            parallel = (delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void>)p;
            threadNumber = (delegate* unmanaged<int>)number;
            teamSize = (delegate* unmanaged<int>)size;
            Available = true;
        }
        catch (Exception)
        {
            // Whatever stops the lookup (no libtorch CPU library, a failed load): the pool uses its own threads. A failure
            // here must not escape, or every kernel would fail with this type's initialisation.
        }
    }

    /// <summary>Runs <paramref name="work"/>(t) for every t in [0, <paramref name="parts"/>) on an OpenMP team of that many
    /// threads, the calling thread being thread 0; returns when all are done. A smaller team (OpenMP may give one, e.g. when
    /// called inside a parallel region) runs the parts round-robin, so every part runs once whatever the team.</summary>
    public static void Run(int parts, Action<int> work)
    {
        var job = new Job(work, parts);
        var handle = GCHandle.Alloc(job);
        try { parallel(&Entry, (void*)GCHandle.ToIntPtr(handle), (uint)parts, 0); }
        finally { handle.Free(); }
        if (job.Failure is { } failure)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    [UnmanagedCallersOnly]
    static void Entry(void* state)
    {
        var job = (Job)GCHandle.FromIntPtr((nint)state).Target!;
        try
        {
            int first = threadNumber(), stride = Math.Max(1, teamSize());
            for (int t = first; t < job.Parts; t += stride) job.Work(t);
        }
        catch (Exception e)
        {
            // An exception must not unwind into libgomp: the first one is kept and thrown on the calling thread.
            Interlocked.CompareExchange(ref job.Failure, e, null);
        }
    }
}
