// Hands the tensors a custom autograd function returns over to libtorch without keeping them. TorchSharp 0.107 passes
// libtorch the handles of what `forward` and `backward` return and leaves the managed wrappers where they were made: in
// the caller's dispose scope, which for a training step is the whole micro-batch. Each wrapper holds a reference, so every
// input gradient and weight gradient of every layer stayed allocated until the micro-batch ended (libtorch frees an input
// gradient as soon as the node before it has used it). Here the wrappers leave the dispose scope at once and are disposed
// at the next custom function call on this thread — by then libtorch holds its own reference — so at most one call's
// results wait. (One cost remains: a returned weight gradient's wrapper is still alive when autograd accumulates it, so
// on the first micro-batch autograd copies it into `.grad` instead of taking it, as it did before.) Forward outputs are
// wrapped by TorchSharp into a new handle of the same tensor, so the function's own wrapper can go as soon as `apply`
// returns. Pharos's functions derive from HandedOffFunction, which does all of this and disposes the wrappers a backward
// is handed (saved tensors, the output's gradient) when it returns.
using static TorchSharp.torch;

namespace Pharos.Models.Kernels;

public static class AutogradHandoff
{
    [ThreadStatic] static List<Tensor>? pending;

    /// <summary>Marks <paramref name="t"/> (returned to libtorch by a forward or backward) for disposal at the next call
    /// of <see cref="Release"/> on this thread, and returns it.</summary>
    public static Tensor Give(Tensor t)
    {
        t.DetachFromDisposeScope();
        (pending ??= []).Add(t);
        return t;
    }

    /// <summary>Each of <paramref name="gradients"/> given over (nulls kept, for inputs without a gradient).</summary>
    public static List<Tensor> Give(List<Tensor> gradients)
    {
        foreach (var g in gradients)
            if (g is not null) Give(g);
        return gradients;
    }

    /// <summary>Disposes the wrappers given over before this call (HandedOffFunction calls it at the start of a forward and
    /// a backward and after `apply`; the Trainer after each backward).</summary>
    public static void Release()
    {
        if (pending is not { Count: > 0 } list) return;
        foreach (var t in list) t.Dispose();
        list.Clear();
    }
}
