// A TorchSharp custom autograd function (one tensor out) that hands its wrappers over by construction (AutogradHandoff):
// what its forward and backward return leaves the caller's dispose scope, the wrappers its backward is handed (the saved
// tensors, the output's gradient) are disposed when it returns unless it returns them, and `Invoke` gives up the forward's
// own wrapper of the output once `apply` has wrapped it anew. Tensors a forward makes and saves for its backward are the
// function's own too: it gives them over itself (AutogradHandoff.Give) after saving them.
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Pharos.Models.Kernels;

public abstract class HandedOffFunction<T> : SingleTensorFunction<T> where T : HandedOffFunction<T>, new()
{
    /// <summary>`apply`, then the forward's own wrapper of the output goes (TorchSharp returned another).</summary>
    public static Tensor Invoke(params object?[] vars)
    {
        var output = apply(vars!); // TorchSharp takes null for an absent tensor
        AutogradHandoff.Release();
        return output;
    }

    protected abstract Tensor Forward(AutogradContext ctx, object[] vars);

    /// <param name="saved">what the forward saved, unpacked; disposed after this returns, except what it returns</param>
    protected abstract List<Tensor> Backward(AutogradContext ctx, List<Tensor> saved, Tensor gradOutput);

    public sealed override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        AutogradHandoff.Release();
        return AutogradHandoff.Give(Forward(ctx, vars));
    }

    public sealed override List<Tensor> backward(AutogradContext ctx, Tensor gradOutput)
    {
        AutogradHandoff.Release();
        var saved = ctx.get_saved_variables();
        var gradients = Backward(ctx, saved, gradOutput);
        bool Returned(Tensor t) => gradients.Any(g => ReferenceEquals(g, t));
        foreach (var t in saved)
            if (t is not null && !Returned(t)) t.Dispose();
        if (!Returned(gradOutput)) gradOutput.Dispose();
        return AutogradHandoff.Give(gradients);
    }
}
