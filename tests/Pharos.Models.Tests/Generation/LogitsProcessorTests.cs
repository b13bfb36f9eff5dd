// Top-k/top-p sampling draws from the same distribution whether it looks at the few hundred most likely tokens or
// sorts the whole vocabulary (transformers' arithmetic), including the fall-back when a flat nucleus is larger.
using Pharos.Models.Generation;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Generation;

public class LogitsProcessorTests
{
    [Theory]
    [InlineData(0, 0.9, 8.0)]
    [InlineData(0, 0.5, 5.0)]
    [InlineData(40, 1.0, 2.0)]
    [InlineData(40, 0.8, 2.0)]
    [InlineData(0, 0.95, 0.05)]  // nearly flat: the nucleus holds thousands of tokens, so no candidate set is used
    public void Candidates_give_the_full_sort_distribution(int topK, double topP, double spread)
    {
        using var scope = NewDisposeScope();
        var scores = randn([4, 32000], generator: new TorchSharp.torch.Generator(5)) * spread;
        var options = new GenerationOptions { Temperature = 1.0, TopK = topK, TopP = topP };
        var full = LogitsProcessor.FullSortWeights(scores, options);
        var candidates = LogitsProcessor.Candidates(scores, options);
        if (spread < 0.1) { Assert.Null(candidates); return; }
        Assert.NotNull(candidates);
        var (weights, ids) = candidates.Value;
        var spread_ = zeros_like(full).scatter(1, ids, weights);
        spread_ = spread_ / spread_.sum(-1, keepdim: true);
        Assert.True(allclose(spread_, full, rtol: 1e-4, atol: 1e-7), $"max difference {(spread_ - full).abs().max().item<float>():E2}");
        Assert.Equal((full > 0).sum().item<long>(), (spread_ > 0).sum().item<long>());
    }
}
