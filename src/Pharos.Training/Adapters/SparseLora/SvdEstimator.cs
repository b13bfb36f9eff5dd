// The paper's low-rank estimator of a frozen projection: a rank-r SVD of Wᵀ, split as A = U·√S, B = √S·Vh, so x·A·B ≈ x·Wᵀ
// for a few hundred FLOPs per token instead of in·out.
using static TorchSharp.torch;

namespace Pharos.Training.Adapters.SparseLora;

/// <param name="A">[in, r]</param>
/// <param name="B">[r, out]</param>
public sealed record LowRankFactors(Tensor A, Tensor B)
{
    /// <summary>Approximate projection of rows x [N, in] → [N, out], in float32.</summary>
    public Tensor Apply(Tensor x) => x.to(float32).matmul(A).matmul(B);
}

public static class SvdEstimator
{
    public static LowRankFactors Factor(Tensor weight, int rank)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var wt = weight.detach().to(float32).cpu().t();
        var (u, s, vh) = linalg.svd(wt, fullMatrices: false);
        long r = Math.Min(rank, s.shape[0]);
        var root = s.narrow(0, 0, r).sqrt();
        var a = (u.narrow(1, 0, r) * root.unsqueeze(0)).contiguous().to(weight.device);
        var b = (root.unsqueeze(1) * vh.narrow(0, 0, r)).contiguous().to(weight.device);
        return new LowRankFactors(a.MoveToOuterDisposeScope(), b.MoveToOuterDisposeScope());
    }
}
