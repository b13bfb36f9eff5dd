// Fresh prompts prefilled together in one pass (CausalLM.PrefillPacked) give each prompt exactly what its prefill alone
// gives: the logits of its last position and the cache the next decoding step reads, on Llama, Qwen2 and Gemma 2
// (sliding windows, soft-capping). BatchDecoder packs waiting prompts and each request still gets what it gets alone.
// Both hold where the row check (PackedPrefill.Usable) lets prompts be packed; where it does not, nothing is packed.
using Pharos.Models.Generation;
using Pharos.Models.Loading;
using Pharos.Models.Tests.Transformer;
using Pharos.Models.Transformer;
using Pharos.Tests;
using static TorchSharp.torch;

namespace Pharos.Models.Tests.Generation;

public class PackedPrefillTests
{
    static int[] Prompt(int length, int seed, long vocab) =>
        Enumerable.Range(0, length).Select(i => (int)(3 + (i * 7 + seed * 13) % (vocab - 3))).ToArray();

    static Tensor Ids(params int[] ids) => tensor(ids.Select(x => (long)x).ToArray()).unsqueeze(0);

    /// <summary>Logits of one decoding step of rows [0, R) with the given next tokens, as float32 [R, vocab].</summary>
    static Tensor Step(CausalLM model, RowKvCache cache, int[] next)
    {
        var positions = Enumerable.Range(0, next.Length).Select(r => cache.Length(r)).ToArray();
        using var ids = tensor(next.Select(x => (long)x).ToArray()).unsqueeze(1);
        using var pos = tensor(positions).unsqueeze(1);
        return model.DecodeStep(ids, pos, positions.Max() + 1, positions, cache).to(float32);
    }

    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-qwen2")]
    [InlineData("tiny-gemma2")]
    public void Packed_prompts_get_the_logits_and_cache_each_gets_alone(string name)
    {
        using var fixture = new ReferenceFixture(name);
        using var model = ModelLoader.Load(fixture.Folder, dtype: bfloat16);
        using var noGrad = no_grad();
        long vocab = model.Config.VocabSize;
        int[][] prompts = [Prompt(20, 1, vocab), Prompt(37, 2, vocab), Prompt(17, 3, vocab)];
        int[] next = [5, 9, 11];
        if (!PackedPrefill.Usable(model))
        {
            Assert.Equal(0, PackedPasses(model, prompts));
            return;
        }
        using var packedCache = model.NewRowCache(prompts.Length, 64);
        var packed = model.PrefillPacked(prompts.Select((p, r) => (r, p)).ToArray(), packedCache).to(float32);
        var packedStep = Step(model, packedCache, next);
        for (int r = 0; r < prompts.Length; r++)
        {
            using var cache = model.NewRowCache(1, 64);
            var alone = model.Prefill(Ids(prompts[r]), cache, 0, wantLogits: true)!.to(float32);
            Assert.True(alone[0].eq(packed[r]).all().item<bool>(), $"prompt {r}: last-position logits differ from its prefill alone");
            Assert.True(Step(model, cache, [next[r]])[0].eq(packedStep[r]).all().item<bool>(), $"prompt {r}: the next step differs (cache)");
        }
    }

    static int PackedPasses(CausalLM model, int[][] prompts)
    {
        using var decoder = new BatchDecoder(model, prompts.Length);
        foreach (var p in prompts) decoder.Admit(p, new GenerationOptions { MaxNewTokens = 1 });
        decoder.Prefill();
        return decoder.PackedPasses;
    }

    [Fact]
    public void Requests_whose_prompts_were_packed_give_what_they_give_alone()
    {
        using var model = ModelLoader.Load(RepoPaths.Samples("models", "stories260K"), dtype: bfloat16);
        long vocab = model.Config.VocabSize;
        var requests = new (int[] Prompt, GenerationOptions Options)[]
        {
            (Prompt(24, 1, vocab), new GenerationOptions { MaxNewTokens = 12 }),
            (Prompt(40, 2, vocab), new GenerationOptions { MaxNewTokens = 16, Temperature = 0.9, TopP = 0.9, Seed = 7 }),
            (Prompt(17, 3, vocab), new GenerationOptions { MaxNewTokens = 10 }),
            (Prompt(8, 4, vocab), new GenerationOptions { MaxNewTokens = 10 }),   // too short to pack: prefilled alone
            (Prompt(31, 5, vocab), new GenerationOptions { MaxNewTokens = 14, Temperature = 1.1, TopK = 40, Seed = 3 }),
        };
        using var decoder = new BatchDecoder(model, requests.Length);
        var slots = requests.Select(r => decoder.Admit(r.Prompt, r.Options)).ToArray();
        while (decoder.Prefilling || decoder.Decoding)
        {
            if (decoder.Prefilling) decoder.Prefill();
            decoder.Step();
        }
        Assert.Equal(PackedPrefill.Usable(model), decoder.PackedPasses > 0);
        for (int i = 0; i < requests.Length; i++)
        {
            using var alone = new BatchDecoder(model, 1);
            int slot = alone.Admit(requests[i].Prompt, requests[i].Options);
            while (alone.Prefilling || alone.Decoding)
            {
                if (alone.Prefilling) alone.Prefill();
                alone.Step();
            }
            Assert.Equal(alone.Generated(slot), decoder.Generated(slots[i]));
        }
    }

    [Fact]
    public void With_packing_off_each_prompt_is_prefilled_alone()
    {
        using var model = ModelLoader.Load(RepoPaths.Samples("models", "stories260K"), dtype: bfloat16);
        long vocab = model.Config.VocabSize;
        int[][] prompts = [Prompt(20, 1, vocab), Prompt(30, 2, vocab)];
        bool before = PackedPrefill.Enabled;
        try
        {
            PackedPrefill.Enabled = false;
            Assert.False(PackedPrefill.Usable(model));
            Assert.Equal(0, PackedPasses(model, prompts));
        }
        finally { PackedPrefill.Enabled = before; }
        Assert.Equal(PackedPrefill.Usable(model) ? 1 : 0, PackedPasses(model, prompts));
    }
}
