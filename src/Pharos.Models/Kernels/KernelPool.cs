// The threads Pharos's own kernels run their parts on. By default libtorch's OpenMP team (see OpenMpTeam): the threads
// that run libtorch's ops, so kernels and libtorch's ops never compete for the cores. Where that team cannot be reached,
// or with PHAROS_KERNEL_THREADS=own, a few worker threads of the pool's own, woken with a counter they spin on: a decoding
// step makes ~50 matmul calls of 50–500 µs each, and waking pool threads through the OS (or .NET's thread pool) would
// add a sizeable share. Those workers spin briefly after each job (the next one follows within microseconds during a
// step), then sleep; with OMP_WAIT_POLICY=PASSIVE (the test runner's setting on shared cores) they never spin.
using System.Diagnostics;

namespace Pharos.Models.Kernels;

public sealed class KernelPool
{
    static readonly Lazy<KernelPool> shared = new(() => new KernelPool(Math.Max(1, TorchSharp.torch.get_num_threads())));

    /// <summary>Whether jobs run on libtorch's OpenMP team (the default where it is found) or on the pool's own threads
    /// (PHAROS_KERNEL_THREADS=own, or no libgomp); a bench may switch it between jobs to compare the two.</summary>
    public static bool OnOpenMpThreads { get; set; } = OpenMpTeam.Available
        && !string.Equals(Environment.GetEnvironmentVariable(KernelEnvironment.KernelThreads), "own", StringComparison.OrdinalIgnoreCase);

    readonly int workers;
    readonly ManualResetEventSlim[] wake;
    readonly int[] sleeping;
    readonly long spinTicks, pauseTicks;
    readonly object gate = new();
    bool started;
    long generation;
    int pending;
    Action<int>? job;
    Exception? failure;

    KernelPool(int threads)
    {
        workers = threads - 1;
        wake = Enumerable.Range(0, workers).Select(_ => new ManualResetEventSlim(false)).ToArray();
        sleeping = new int[workers];
        bool passive = string.Equals(Environment.GetEnvironmentVariable(OpenMpWaitPolicy.PolicyVariable), "PASSIVE", StringComparison.OrdinalIgnoreCase);
        spinTicks = passive ? 0 : Stopwatch.Frequency / 5000; // 200 µs
        pauseTicks = passive ? 0 : Stopwatch.Frequency / 50000; // 20 µs
    }

    /// <summary>The own workers, started the first time a job runs on them (never, on OpenMP's team).</summary>
    void StartWorkers()
    {
        if (started) return;
        started = true;
        for (int i = 0; i < workers; i++)
        {
            int index = i;
            new Thread(() => Loop(index)) { IsBackground = true, Name = $"pharos-kernel-{i + 1}" }.Start();
        }
    }

    /// <summary>The process's pool, as many threads as libtorch uses (read when first needed).</summary>
    internal static KernelPool Shared => shared.Value;

    internal int Threads => workers + 1;

    /// <summary>Runs <paramref name="work"/>(t) for t in [0, Threads): 0 on the calling thread, the others on OpenMP's
    /// threads or the workers; returns when all are done. Calls from several threads take turns.</summary>
    internal void Run(Action<int> work)
    {
        lock (gate)
        {
            if (workers == 0) { work(0); return; }
            if (OnOpenMpThreads) { OpenMpTeam.Run(Threads, work); return; }
            StartWorkers();
            job = work;
            Volatile.Write(ref pending, workers);
            Interlocked.Increment(ref generation);
            for (int i = 0; i < workers; i++)
                if (Volatile.Read(ref sleeping[i]) == 1) wake[i].Set();
            try { work(0); }
            finally
            {
                // Pause instructions for as long as a worker would spin (SpinWait's yields cost ~2 µs per job), then
                // yielding now and then: on a busy machine a worker may be waiting for a core this thread holds.
                var spinner = new SpinWait();
                long until = Stopwatch.GetTimestamp() + spinTicks;
                while (Volatile.Read(ref pending) > 0)
                    if (Stopwatch.GetTimestamp() < until) Thread.SpinWait(4);
                    else spinner.SpinOnce(sleep1Threshold: -1);
                job = null;
            }
            if (Interlocked.Exchange(ref failure, null) is { } e)
                throw new InvalidOperationException("a kernel worker failed", e);
        }
    }

    void Loop(int index)
    {
        long seen = 0;
        while (true)
        {
            long since = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref generation) == seen)
            {
                // Pause instructions for the first 20 µs: SpinWait's yields cost a decoding step ~2 µs per job (0.15 ms per
                // batch-1 step, `decode-profile --paired`), and its jobs follow each other within microseconds. Then
                // yields until 200 µs: in training a libtorch op (OpenMP threads) often comes next and needs this core,
                // which a worker pausing on it for the whole window holds back. The ~110M LoRA bf16 step (`train --no-peers`,
                // tokens/s, 2026-12-07): pauses for 200 µs 614–675, for 1 ms 585–600, sleeping at once 680–710; this mix
                // 658–685 against 663–673 for 200 µs of pauses in the same minutes; decoding unchanged within the noise.
                long waited = Stopwatch.GetTimestamp() - since;
                if (waited < pauseTicks) { Thread.SpinWait(4); continue; }
                if (waited < spinTicks) { Thread.Yield(); continue; }
                // Announce the sleep before the last look at the counter, so a job posted meanwhile always wakes us.
                wake[index].Reset();
                Interlocked.Exchange(ref sleeping[index], 1);
                if (Volatile.Read(ref generation) == seen) wake[index].Wait();
                Interlocked.Exchange(ref sleeping[index], 0);
                since = Stopwatch.GetTimestamp();
            }
            seen = Volatile.Read(ref generation);
            try { job!(index + 1); }
            catch (Exception e) { failure = e; }
            finally { Interlocked.Decrement(ref pending); }
        }
    }
}
