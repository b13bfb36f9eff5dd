// Exactness against transformers: tiny random Llama/Qwen2/Gemma2 checkpoints and the real stories260K must give the
// reference logits (float32, allclose-style: |Δ| ≤ atol + rtol·|expected|, atol = 2e-5 × the largest |logit|; between
// BLAS kernels they differ by at most 3e-6 of it) and the reference greedy tokens, batched and unbatched.
using Pharos.Models.Generation;
using Pharos.Models.Loading;
using Pharos.Tests;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Transformer;

public class ReferenceLogitsTests
{
    const double Rtol = 1e-4, AtolOfScale = 2e-5;

    public static TheoryData<string> Models => new() { "tiny-llama", "tiny-qwen2", "tiny-gemma2", "stories260K" };
    public static TheoryData<string> TinyModels => new() { "tiny-llama", "tiny-qwen2", "tiny-gemma2" };

    [Theory]
    [MemberData(nameof(Models))]
    public void Logits_match_transformers(string name)
    {
        using var fixture = new ReferenceFixture(name);
        using var model = ModelLoader.Load(fixture.Folder);
        using var noGrad = no_grad();
        using var ids = fixture.Tensor("input_ids");
        using var expected = fixture.Tensor("logits");
        using var logits = model.Forward(ids);
        AllClose.EqualAtScale(expected, logits, Rtol, AtolOfScale, $"{name}: logits");
    }

    [Theory]
    [MemberData(nameof(TinyModels))]
    public void Left_padded_batch_matches_transformers_on_real_tokens(string name)
    {
        using var fixture = new ReferenceFixture(name);
        using var model = ModelLoader.Load(fixture.Folder);
        using var noGrad = no_grad();
        using var ids = fixture.Tensor("padded_input_ids");
        using var mask = fixture.Tensor("padded_attention_mask");
        using var expected = fixture.Tensor("padded_logits");
        using var logits = model.Forward(ids, mask);
        using var real = mask.to(@bool).unsqueeze(-1).expand_as(logits);
        AllClose.EqualAtScale(expected.masked_select(real), logits.masked_select(real), Rtol, AtolOfScale, $"{name}: logits of real tokens");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Greedy_generation_matches_transformers(string name)
    {
        using var fixture = new ReferenceFixture(name);
        using var model = ModelLoader.Load(fixture.Folder);
        var prompts = fixture.Ids("prompt_ids");
        var expected = fixture.Ids("greedy");
        var options = new GenerationOptions { MaxNewTokens = expected[0].Length };
        var generator = new TokenGenerator(model);
        for (int i = 0; i < prompts.Length; i++)
            Assert.Equal(expected[i], generator.Generate([prompts[i]], options)[0].Tokens);
        if (fixture.Json["greedy_batched"] is not null)
        {
            var batched = generator.Generate(prompts, options);
            var reference = fixture.Ids("greedy_batched");
            for (int i = 0; i < prompts.Length; i++)
                Assert.Equal(reference[i], batched[i].Tokens);
        }
    }
}
