// Pharos's kernels on libtorch's OpenMP team: the team is found through libtorch, every part runs once (on the calling
// thread for part 0, on other threads for the rest), a smaller team than parts still runs them all, a part's exception
// reaches the caller as it was thrown, and a kernel gives the same bits on the team as on the pool's own threads.
using System.Collections.Concurrent;
using Pharos.Models.Kernels;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Kernels;

public class OpenMpTeamTests
{
    [Fact]
    public void Libtorchs_libgomp_is_found_on_linux()
    {
        Assert.True(!OperatingSystem.IsLinux() || OpenMpTeam.Available, "GOMP_parallel was not found through libtorch_cpu.so");
    }

    [Fact]
    public void Every_part_runs_once_part_zero_on_the_caller()
    {
        var ran = new ConcurrentDictionary<int, int>();
        var threads = new ConcurrentDictionary<int, int>();
        int caller = Environment.CurrentManagedThreadId;
        OpenMpTeam.Run(4, t =>
        {
            ran.AddOrUpdate(t, 1, (_, n) => n + 1);
            threads[t] = Environment.CurrentManagedThreadId;
        });
        Assert.Equal([0, 1, 2, 3], ran.Keys.Order());
        Assert.All(ran.Values, n => Assert.Equal(1, n));
        Assert.Equal(caller, threads[0]);
        Assert.Equal(4, threads.Values.Distinct().Count()); // a team of four: each part on its own thread
    }

    [Fact]
    public void A_team_smaller_than_the_parts_still_runs_each_part_once()
    {
        // Inside a parallel region OpenMP gives a nested region a team of one (nesting is off by default).
        var inner = new ConcurrentDictionary<int, int>();
        OpenMpTeam.Run(2, t =>
        {
            if (t == 0) OpenMpTeam.Run(3, i => inner.AddOrUpdate(i, 1, (_, n) => n + 1));
        });
        Assert.Equal([0, 1, 2], inner.Keys.Order());
        Assert.All(inner.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public void A_parts_exception_reaches_the_caller_as_thrown()
    {
        var e = Assert.Throws<ArgumentException>(() => OpenMpTeam.Run(2, t =>
        {
            if (t == 1) throw new ArgumentException("part one failed");
        }));
        Assert.Equal("part one failed", e.Message);
        OpenMpTeam.Run(2, _ => { }); // and the team still works
    }

    [KernelFact]
    public void The_decoding_matmul_gives_the_same_bits_on_the_team_as_on_own_threads()
    {
        var g = new Generator(5);
        using var x = randn([3, 1, 200], generator: g).to(bfloat16);
        using var w = randn([520, 200], generator: g).to(bfloat16);
        float[] Bits(bool team)
        {
            bool saved = KernelPool.OnOpenMpThreads;
            KernelPool.OnOpenMpThreads = team;
            try
            {
                using var scope = NewDisposeScope();
                using var inference = no_grad();
                Assert.True(SmallBatchMatmul.Applies(x, w, null));
                return SmallBatchMatmul.Linear(x, w, null).to(float32).data<float>().ToArray();
            }
            finally { KernelPool.OnOpenMpThreads = saved; }
        }
        Assert.Equal(Bits(team: false), Bits(team: true));
    }
}
