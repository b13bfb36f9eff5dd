// Tensor handles a piece of code leaves alive on the calling thread: each keeps its tensor's memory until it is disposed
// or the garbage collector finalises it, so code that runs every training step must leave none.
using TorchSharp;

namespace Pharos.Tests;

internal static class LiveHandles
{
    public static long LeftBy(Action run)
    {
        // Custom autograd functions leave their last call's results pending until the next call on the thread
        // (AutogradHandoff): what an earlier test left pending is not this run's.
        Pharos.Models.Kernels.AutogradHandoff.Release();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        run();
        return DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
    }
}
