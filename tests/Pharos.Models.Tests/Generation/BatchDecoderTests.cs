// Continuous batching on real checkpoints: prompts prefilled in small chunks still give transformers' greedy tokens
// (sliding windows included), and rows that join a running batch at different steps with different settings (greedy,
// seeded sampling, other lengths and stop tokens) each give exactly the tokens they give alone; finished rows leave
// at once and their slot serves the next row.
using Pharos.Models.Generation;
using Pharos.Models.Loading;
using Pharos.Models.Tests.Transformer;
using Pharos.Models.Transformer;
using Pharos.Tests;

namespace Pharos.Models.Tests.Generation;

public class BatchDecoderTests
{
    static readonly string Stories = RepoPaths.Samples("models", "stories260K");

    /// <summary>Runs every admitted row to the end, prefilling first; returns each slot's tokens.</summary>
    static void RunToEnd(BatchDecoder decoder)
    {
        while (decoder.Prefilling || decoder.Decoding)
        {
            if (decoder.Prefilling) decoder.Prefill(tokenBudget: 1);
            decoder.Step();
        }
    }

    static (int[] Tokens, string Finish) Alone(CausalLM model, IReadOnlyList<int> prompt, GenerationOptions options, int stream = 0)
    {
        using var decoder = new BatchDecoder(model, 1);
        int slot = decoder.Admit(prompt, options, stream);
        RunToEnd(decoder);
        return ([.. decoder.Generated(slot)], decoder.FinishReason(slot)!);
    }

    [Theory]
    [InlineData("tiny-llama", 1)]
    [InlineData("tiny-qwen2", 2)]
    [InlineData("tiny-gemma2", 3)]
    [InlineData("stories260K", 2)]
    public void Prompts_prefilled_in_chunks_give_the_reference_greedy_tokens(string name, int chunk)
    {
        using var fixture = new ReferenceFixture(name);
        using var model = ModelLoader.Load(fixture.Folder);
        var prompts = fixture.Ids("prompt_ids");
        var expected = fixture.Ids("greedy");
        using var decoder = new BatchDecoder(model, prompts.Length, capacity: 4, chunk: chunk);
        var options = new GenerationOptions { MaxNewTokens = expected[0].Length };
        var slots = prompts.Select(p => decoder.Admit(p, options)).ToArray();
        RunToEnd(decoder);
        for (int i = 0; i < prompts.Length; i++)
            Assert.Equal(expected[i], decoder.Generated(slots[i]));
    }

    [Fact]
    public void Rows_joining_at_any_step_with_their_own_settings_give_what_they_give_alone()
    {
        using var model = ModelLoader.Load(Stories);
        var greedy = new GenerationOptions { MaxNewTokens = 24 };
        var freeTokens = Alone(model, [1, 403], greedy).Tokens;
        var requests = new (int[] Prompt, GenerationOptions Options, int JoinAtStep)[]
        {
            ([1, 403, 407], greedy, 0),
            ([1], new GenerationOptions { MaxNewTokens = 30, Temperature = 0.9, TopP = 0.9, Seed = 11 }, 0),
            ([1, 261, 378, 403, 407, 261], greedy with { MaxNewTokens = 7 }, 2),
            ([1, 403], greedy with { StopTokenIds = [freeTokens[5]] }, 3),
            ([1, 378], new GenerationOptions { MaxNewTokens = 20, Temperature = 1.2, TopK = 40, Seed = 4 }, 3),
            ([1, 407, 261], greedy with { MaxNewTokens = 12 }, 9),  // takes a slot freed by a finished row
        };
        using var decoder = new BatchDecoder(model, maxRows: 4, capacity: 8, chunk: 2);
        var slotOf = new Dictionary<int, int>();
        var results = new Dictionary<int, (int[] Tokens, string Finish)>();
        for (int step = 0; results.Count < requests.Length; step++)
        {
            for (int r = 0; r < requests.Length; r++)
                if (!slotOf.ContainsKey(r) && requests[r].JoinAtStep <= step && decoder.FreeSlots > 0 && slotOf.Keys.All(k => k < r))
                    slotOf[r] = decoder.Admit(requests[r].Prompt, requests[r].Options);
            if (decoder.Prefilling) decoder.Prefill(tokenBudget: 3);
            decoder.Step();
            foreach (var (r, slot) in slotOf.Where(x => !results.ContainsKey(x.Key)).ToArray())
                if (decoder.IsFinished(slot))
                {
                    results[r] = ([.. decoder.Generated(slot)], decoder.FinishReason(slot)!);
                    decoder.Release(slot); // a finished row leaves at once
                }
            Assert.True(step < 500, "decoding did not finish");
        }
        for (int r = 0; r < requests.Length; r++)
        {
            var alone = Alone(model, requests[r].Prompt, requests[r].Options);
            Assert.Equal(alone.Tokens, results[r].Tokens);
            Assert.Equal(alone.Finish, results[r].Finish);
        }
        Assert.Equal("stop", results[3].Finish);
        Assert.Equal(5, results[3].Tokens.Length);
        Assert.Equal(7, results[2].Tokens.Length);
    }

    [Fact]
    public void Copies_of_a_seeded_request_differ_and_each_is_reproducible()
    {
        using var model = ModelLoader.Load(Stories);
        var options = new GenerationOptions { MaxNewTokens = 20, Temperature = 1.0, Seed = 5 };
        var copies = Enumerable.Range(0, 3).Select(c => Alone(model, [1], options, stream: c).Tokens).ToArray();
        Assert.Equal(3, copies.Select(c => string.Join(",", c)).Distinct().Count());
        using var decoder = new BatchDecoder(model, 3);
        var slots = Enumerable.Range(0, 3).Select(c => decoder.Admit([1], options, stream: c)).ToArray();
        RunToEnd(decoder);
        for (int c = 0; c < 3; c++) Assert.Equal(copies[c], decoder.Generated(slots[c]));
    }
}
