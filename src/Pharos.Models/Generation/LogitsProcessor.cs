// Turns next-token logits into a choice: repetition penalty, temperature, top-k, top-p (in transformers' order), then argmax or sampling.
using static TorchSharp.torch;

namespace Pharos.Models.Generation;

internal static class LogitsProcessor
{
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
            var dropInOrder = drop.scatter(1, order, drop);
            scores = scores.masked_fill(dropInOrder, double.NegativeInfinity);
        }
        var probs = scores.softmax(-1);
        return multinomial(probs, 1, generator: rng).squeeze(1).MoveToOuterDisposeScope();
    }
}
