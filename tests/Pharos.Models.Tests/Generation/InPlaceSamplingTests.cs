// Sampling in place gives the distribution of transformers' arithmetic (temperature, top-k, then top-p over the whole
// sorted vocabulary), leaves a nucleus wider than its candidates and plain sampling to the tensor route, draws by the
// cumulative weights, and its draws follow the weights.
using System.Runtime.Intrinsics.X86;
using Pharos.Models.Generation;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Generation;

public class InPlaceSamplingTests
{
    [Theory]
    [InlineData(40, 1.0, 1.0, 2.0)]
    [InlineData(40, 0.7, 0.9, 2.0)]
    [InlineData(50, 1.3, 0.5, 4.0)]
    [InlineData(1, 0.8, 1.0, 2.0)]
    [InlineData(256, 1.0, 0.95, 0.05)] // nearly flat: top-p keeps nearly all of the 256
    [InlineData(0, 1.0, 0.9, 8.0)]     // top-p alone: the 256 candidates against the whole vocabulary's mass
    [InlineData(0, 0.6, 0.5, 5.0)]
    public void The_distribution_is_the_full_sort_one(int topK, double temperature, double topP, double spread)
    {
        using var scope = NewDisposeScope();
        var logits = randn([3, 32000], generator: new TorchSharp.torch.Generator(9)) * spread;
        var options = new GenerationOptions { Temperature = temperature, TopK = topK, TopP = topP };
        Assert.Equal(Avx512F.IsSupported, InPlaceSampling.Applies(logits, options)); // the computation below runs anywhere
        var full = LogitsProcessor.FullSortWeights(logits / temperature, options);
        for (int row = 0; row < 3; row++)
        {
            var (ids, weights, kept) = InPlaceSampling.Distribution(logits, row, options);
            var ours = zeros(32000, float64);
            double mass = weights.Take(kept).Sum();
            for (int i = 0; i < kept; i++) ours[ids[i]] = weights[i] / mass;
            var theirs = full[row].to(float64);
            Assert.Equal((theirs > 0).sum().item<long>(), (ours > 0).sum().item<long>());
            Assert.True(allclose(ours, theirs, rtol: 1e-4, atol: 1e-7), $"row {row}: max difference {(ours - theirs).abs().max().item<double>():E2}");
        }
    }

    [Fact]
    public void Bfloat16_logits_keep_the_k_largest_most_likely_first_and_skip_NaN()
    {
        using var scope = NewDisposeScope();
        var values = randn([1, 1000], generator: new TorchSharp.torch.Generator(2)) * 3;
        values[0, 17] = float.NaN;
        var logits = values.to(bfloat16);
        var options = new GenerationOptions { Temperature = 1.0, TopK = 20 };
        var (ids, weights, kept) = InPlaceSampling.Distribution(logits, 0, options);
        Assert.Equal(20, kept);
        var host = logits.to(float32).data<float>().ToArray();
        float least = ids.Min(i => host[i]);
        Assert.DoesNotContain(17, ids);
        Assert.True(host.Where((v, i) => !ids.Contains(i) && !float.IsNaN(v)).All(v => v <= least), "a dropped logit is larger than a kept one");
        for (int i = 1; i < kept; i++)
        {
            Assert.True(host[ids[i - 1]] >= host[ids[i]], "not most likely first");
            Assert.Equal(Math.Exp(host[ids[i]] - host[ids[0]]), weights[i], 1e-6);
        }
    }

    [Fact]
    public void A_uniform_picks_the_first_token_whose_cumulative_weight_passes_it()
    {
        using var scope = NewDisposeScope();
        // Probabilities 0.5, 0.25, 0.125, 0.125 for ids 3, 1, 0, 2 (logits ln of them), the rest far below.
        var logits = full([1, 64], -100f);
        logits[0, 3] = MathF.Log(0.5f); logits[0, 1] = MathF.Log(0.25f); logits[0, 0] = MathF.Log(0.125f); logits[0, 2] = MathF.Log(0.125f);
        var options = new GenerationOptions { Temperature = 1.0, TopK = 4 };
        Assert.Equal(3, InPlaceSampling.Choose(logits, 0, options, 0.0));
        Assert.Equal(3, InPlaceSampling.Choose(logits, 0, options, 0.49));
        Assert.Equal(1, InPlaceSampling.Choose(logits, 0, options, 0.51));
        Assert.Equal(0, InPlaceSampling.Choose(logits, 0, options, 0.8)); // equal logits: the lower id first
        Assert.Equal(2, InPlaceSampling.Choose(logits, 0, options, 0.9999));
        // top_p 0.6 keeps 3 and 1 (the mass before 1 is 0.5 < 0.6, before 0 it is 0.75).
        Assert.Equal(1, InPlaceSampling.Choose(logits, 0, options with { TopP = 0.6 }, 0.9999));
    }

    [Fact]
    public void Draws_follow_the_weights()
    {
        using var scope = NewDisposeScope();
        var logits = randn([1, 500], generator: new TorchSharp.torch.Generator(4)) * 2;
        var options = new GenerationOptions { Temperature = 0.8, TopK = 8, TopP = 0.9 };
        var (ids, weights, kept) = InPlaceSampling.Distribution(logits, 0, options);
        double mass = weights.Take(kept).Sum();
        var random = new Random(12);
        const int draws = 40000;
        var counts = new Dictionary<int, int>();
        for (int d = 0; d < draws; d++)
        {
            int id = InPlaceSampling.Choose(logits, 0, options, random.NextDouble())!.Value;
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }
        Assert.Equal(ids.Take(kept).Order(), counts.Keys.Order());
        for (int i = 0; i < kept; i++)
        {
            double p = weights[i] / mass, sigma = Math.Sqrt(p * (1 - p) / draws);
            Assert.True(Math.Abs(counts[ids[i]] / (double)draws - p) < 5 * sigma + 1e-9, $"id {ids[i]}: {counts[ids[i]] / (double)draws:F4} against {p:F4}");
        }
    }

    [Fact]
    public void A_top_p_nucleus_wider_than_the_candidates_is_left_to_the_tensor_route()
    {
        using var scope = NewDisposeScope();
        var logits = randn([1, 32000], generator: new TorchSharp.torch.Generator(6)) * 0.05;
        var options = new GenerationOptions { Temperature = 1.0, TopP = 0.9 };
        Assert.Equal(-1, InPlaceSampling.Distribution(logits, 0, options).Kept);
        Assert.Null(InPlaceSampling.Choose(logits, 0, options, 0.5));
    }

    [Fact]
    public void Plain_sampling_stays_on_the_tensor_route()
    {
        using var scope = NewDisposeScope();
        var logits = randn([1, 100], generator: new TorchSharp.torch.Generator(3));
        Assert.False(InPlaceSampling.Applies(logits, new GenerationOptions { Temperature = 0.7 }));
        Assert.Equal(Avx512F.IsSupported, InPlaceSampling.Applies(logits, new GenerationOptions { Temperature = 0.7, TopP = 0.99 }));
        Assert.Equal(Avx512F.IsSupported, InPlaceSampling.Applies(logits, new GenerationOptions { Temperature = 0.7, TopK = 256 }));
        Assert.False(InPlaceSampling.Applies(logits, new GenerationOptions { Temperature = 0.7, TopK = 257 }));
        Assert.False(InPlaceSampling.Applies(logits, new GenerationOptions { Temperature = 0.7, TopK = 40, RepetitionPenalty = 1.1 }));
    }

    [Fact]
    public void NaN_logits_are_left_to_the_tensor_route_when_the_whole_vocabulary_counts()
    {
        using var scope = NewDisposeScope();
        var logits = randn([1, 100], generator: new TorchSharp.torch.Generator(1));
        logits[0, 40] = float.NaN;
        Assert.Null(InPlaceSampling.Choose(logits, 0, new GenerationOptions { Temperature = 1.0, TopP = 0.9 }, 0.3));
    }
}
