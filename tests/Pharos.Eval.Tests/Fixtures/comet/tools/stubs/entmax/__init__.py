# Stand-in for entmax.sparsemax (not packaged by Debian), written for Pharos from the definition in Martins &
# Astudillo (2016), "From Softmax to Sparsemax": the Euclidean projection of z onto the probability simplex,
# p_i = max(z_i - tau, 0) with tau chosen so the p sum to 1 (sort z descending, k = the largest index with
# 1 + k z_(k) > sum_{j<=k} z_(j), tau = (sum_{j<=k} z_(j) - 1) / k).
import torch


def sparsemax(X, dim=-1, k=None):
    dim = dim % X.dim()
    z_sorted, _ = torch.sort(X, dim=dim, descending=True)
    cumulative = z_sorted.cumsum(dim) - 1
    shape = [1] * X.dim()
    shape[dim] = -1
    rank = torch.arange(1, X.size(dim) + 1, device=X.device, dtype=X.dtype).view(shape)
    support = rank * z_sorted > cumulative
    support_size = support.sum(dim=dim, keepdim=True)
    tau = cumulative.gather(dim, support_size - 1) / support_size.to(X.dtype)
    return torch.clamp(X - tau, min=0)
