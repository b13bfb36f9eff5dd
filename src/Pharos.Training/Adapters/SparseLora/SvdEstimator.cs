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
    /// <summary>Top-r SVD of Wᵀ: exact (LAPACK) for small matrices; for large ones a randomized range finder with power
    /// iterations (Halko et al.), whose top-r factors agree with the exact ones to float32 noise for an estimator's purposes
    /// and cost a few thin matmuls instead of a full decomposition.</summary>
    public static LowRankFactors Factor(Tensor weight, int rank)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var wt = weight.detach().to(float32).cpu().t();
        long r = Math.Min(rank, Math.Min(wt.shape[0], wt.shape[1]));
        var (u, s, vh) = Math.Min(wt.shape[0], wt.shape[1]) <= 256 ? linalg.svd(wt, fullMatrices: false) : Randomized(wt, r + 8);
        var root = s.narrow(0, 0, r).sqrt();
        var a = (u.narrow(1, 0, r) * root.unsqueeze(0)).contiguous().to(weight.device);
        var b = (root.unsqueeze(1) * vh.narrow(0, 0, r)).contiguous().to(weight.device);
        return new LowRankFactors(a.MoveToOuterDisposeScope(), b.MoveToOuterDisposeScope());
    }

    static (Tensor U, Tensor S, Tensor Vh) Randomized(Tensor m, long width, int powerIterations = 4)
    {
        // Seeded, so the same weights always give the same estimator (and the cache's hash stays meaningful).
        var probe = randn([m.shape[1], width], float32, generator: new Generator(0x5EED));
        var q = linalg.qr(m.matmul(probe)).Q;
        for (int i = 0; i < powerIterations; i++)
        {
            q = linalg.qr(m.t().matmul(q)).Q;
            q = linalg.qr(m.matmul(q)).Q;
        }
        var (ub, s, vh) = linalg.svd(q.t().matmul(m), fullMatrices: false);
        return (q.matmul(ub), s, vh);
    }
}
