// Turns next-token logits into a choice: repetition penalty, temperature, top-k, top-p (in transformers' order), then argmax or sampling.
using static TorchSharp.torch;

namespace Pharos.Models.Generation;

internal static class LogitsProcessor
{
    /// <summary>How many of the most likely tokens are looked at before the whole vocabulary is sorted for top-p.</summary>
    internal const int NucleusCandidates = 256;

    /// <param name="logits">[B, V] float32</param>
    /// <param name="seen">[B, S] ids already in each sequence (for the repetition penalty); may be null.</param>
    public static Tensor NextTokens(Tensor logits, Tensor? seen, GenerationOptions o, TorchSharp.torch.Generator? rng)
    {
        using var scope = NewDisposeScope();
        var scores = logits;
        if (o.RepetitionPenalty != 1.0 && seen is not null)
        {
            // CTRL-style, as transformers: divide positive scores, multiply negative ones, for tokens already present.
            var picked = scores.gather(1, seen);
            var penalised = where(picked < 0, picked * o.RepetitionPenalty, picked / o.RepetitionPenalty);
            scores = scores.scatter(1, seen, penalised);
        }
        if (o.Greedy)
            return scores.argmax(-1).MoveToOuterDisposeScope();

        scores = scores / o.Temperature;
        if (o.TopK == 0 && o.TopP >= 1.0)
            return multinomial(scores.softmax(-1), 1, generator: rng).squeeze(1).MoveToOuterDisposeScope();
        if (Candidates(scores, o) is var (weights, ids))
            return ids.gather(1, multinomial(weights, 1, generator: rng)).squeeze(1).MoveToOuterDisposeScope();
        return multinomial(FullSortWeights(scores, o), 1, generator: rng).squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>Top-k and top-p keep the most likely tokens, which are almost always among the first few hundred: the
    /// weights [B, K] (dropped tokens 0) and ids [B, K] of those candidates, from a partial selection instead of a sort
    /// of the whole vocabulary per row; null when some row's nucleus reaches beyond them.</summary>
    internal static (Tensor Weights, Tensor Ids)? Candidates(Tensor scores, GenerationOptions o)
    {
        int count = (int)Math.Min(scores.shape[1], o.TopK > 0 ? o.TopK : NucleusCandidates);
        var (top, ids) = scores.softmax(-1).topk(count);
        if (o.TopK > 0) top = top / top.sum(-1, keepdim: true); // top-p then sees the top-k tokens' own distribution
        if (o.TopP >= 1.0) return (top, ids);
        var before = top.cumsum(-1) - top; // mass of the more likely tokens: a token is kept while that is below top_p
        if (o.TopK == 0 && (before.select(1, count - 1) + top.select(1, count - 1)).min().item<float>() < o.TopP)
            return null;
        return (top.masked_fill(before >= o.TopP, 0), ids);
    }

    /// <summary>Top-k then top-p over the whole sorted vocabulary (transformers' arithmetic): probabilities [B, V],
    /// dropped tokens 0.</summary>
    internal static Tensor FullSortWeights(Tensor scores, GenerationOptions o)
    {
        if (o.TopK > 0 && o.TopK < scores.shape[1])
        {
            var kth = scores.topk(o.TopK).values.narrow(1, o.TopK - 1, 1);
            scores = scores.masked_fill(scores < kth, double.NegativeInfinity);
        }
        if (o.TopP < 1.0)
        {
            var (sorted, order) = scores.sort(-1, descending: false);
            var cumulative = sorted.softmax(-1).cumsum(-1);
            var drop = cumulative <= 1 - o.TopP;
            drop.narrow(1, drop.shape[1] - 1, 1).fill_(false); // always keep the most likely token
            scores = scores.masked_fill(drop.scatter(1, order, drop), double.NegativeInfinity);
        }
        return scores.softmax(-1);
    }
}
