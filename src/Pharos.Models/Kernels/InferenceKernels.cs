// When Pharos's own kernels (and the fused projections that rely on them) may run: at inference, i.e. gradient mode off,
// and not inside a forward that a backward pass will recompute. Activation checkpointing runs a layer's first forward
// with gradient mode off and its replay with gradients; both must take libtorch's arithmetic so they agree.
using static TorchSharp.torch;

namespace Pharos.Models.Kernels;

internal static class InferenceKernels
{
    [ThreadStatic] static int suspended;

    /// <summary>True when gradient mode is off and no <see cref="Suspend"/> scope is open on this thread.</summary>
    public static bool Allowed => suspended == 0 && !is_grad_enabled();

    /// <summary>Keeps the kernels off on this thread until the returned scope is disposed.</summary>
    public static IDisposable Suspend()
    {
        suspended++;
        return new Resume();
    }

    sealed class Resume : IDisposable
    {
        bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            suspended--;
        }
    }
}
