// Decoding options on a real checkpoint (stories260K): seeded sampling is reproducible, top-k 1 is greedy,
// stop tokens end a row early without ending the others, and the cache gives the same tokens as recomputation.
using Pharos.Models.Errors;
using Pharos.Models.Generation;
using Pharos.Models.Loading;
using Pharos.Tests;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Generation;

public class TokenGeneratorTests
{
    static readonly string Stories = RepoPaths.Samples("models", "stories260K");

    [Fact]
    public void Seeded_sampling_is_reproducible_and_seed_dependent()
    {
        using var model = ModelLoader.Load(Stories);
        var generator = new TokenGenerator(model);
        var options = new GenerationOptions { MaxNewTokens = 30, Temperature = 1.0, TopP = 0.95, Seed = 7 };
        var a = generator.Generate([[1]], options)[0].Tokens;
        var b = generator.Generate([[1]], options)[0].Tokens;
        var c = generator.Generate([[1]], options with { Seed = 8 })[0].Tokens;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Top_k_one_sampling_equals_greedy()
    {
        using var model = ModelLoader.Load(Stories);
        var generator = new TokenGenerator(model);
        var greedy = generator.Generate([[1]], new GenerationOptions { MaxNewTokens = 20 })[0].Tokens;
        var sampled = generator.Generate([[1]], new GenerationOptions { MaxNewTokens = 20, Temperature = 0.8, TopK = 1, Seed = 3 })[0].Tokens;
        Assert.Equal(greedy, sampled);
    }

    [Fact]
    public void Stop_token_ends_only_its_row()
    {
        using var model = ModelLoader.Load(Stories);
        var generator = new TokenGenerator(model);
        var free = generator.Generate([[1], [1, 403]], new GenerationOptions { MaxNewTokens = 12 });
        int stop = free[0].Tokens[3];
        var stopped = generator.Generate([[1], [1, 403]], new GenerationOptions { MaxNewTokens = 12, StopTokenIds = [stop] });
        Assert.Equal("stop", stopped[0].FinishReason);
        Assert.Equal(free[0].Tokens[..3], stopped[0].Tokens);
        Assert.Equal(free[1].Tokens.TakeWhile(t => t != stop), stopped[1].Tokens);
    }

    [Fact]
    public void Cached_decoding_equals_full_recomputation()
    {
        using var model = ModelLoader.Load(Stories);
        var tokens = new TokenGenerator(model).Generate([[1, 403, 407]], new GenerationOptions { MaxNewTokens = 10 })[0].Tokens;
        using var noGrad = no_grad();
        var sequence = new List<long> { 1, 403, 407 };
        foreach (var expected in tokens)
        {
            using var ids = tensor(sequence.ToArray(), int64).unsqueeze(0);
            using var logits = model.Forward(ids);
            Assert.Equal(expected, (int)logits[0, -1].argmax().item<long>());
            sequence.Add(expected);
        }
    }

    [Fact]
    public void Repetition_penalty_reduces_repeats()
    {
        using var model = ModelLoader.Load(Stories);
        var generator = new TokenGenerator(model);
        var plain = generator.Generate([[1]], new GenerationOptions { MaxNewTokens = 60 })[0].Tokens;
        var penalised = generator.Generate([[1]], new GenerationOptions { MaxNewTokens = 60, RepetitionPenalty = 2.0 })[0].Tokens;
        Assert.True(penalised.Distinct().Count() > plain.Distinct().Count(),
            $"distinct tokens: penalised {penalised.Distinct().Count()} vs plain {plain.Distinct().Count()}");
    }

    [Fact]
    public void Too_long_requests_and_bad_options_are_rejected()
    {
        using var model = ModelLoader.Load(Stories);
        var generator = new TokenGenerator(model);
        Assert.Throws<ArgumentException>(() => generator.Generate([[1]], new GenerationOptions { MaxNewTokens = 10_000 }));
        Assert.Throws<PharosException>(() => generator.Generate([[1]], new GenerationOptions { TopP = 0 }));
        Assert.Throws<PharosException>(() => generator.Generate([[1]], new GenerationOptions { MaxNewTokens = -1 }));
    }

    [Fact]
    public void Bfloat16_weights_stay_bfloat16_and_track_float32()
    {
        using var bf16 = ModelLoader.Load(Stories, dtype: bfloat16);
        using var fp32 = ModelLoader.Load(Stories);
        Assert.All(bf16.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        using var noGrad = no_grad();
        using var ids = tensor(new long[] { 1, 403, 407, 261, 378 }).unsqueeze(0);
        using var a = bf16.Forward(ids).to(float32);
        using var b = fp32.Forward(ids);
        Assert.Equal(ScalarType.Float32, a.dtype);
        Assert.True((a - b).abs().max().item<float>() < 0.5f);
        Assert.Equal(b.argmax(-1).data<long>().ToArray(), a.argmax(-1).data<long>().ToArray());
    }
}
