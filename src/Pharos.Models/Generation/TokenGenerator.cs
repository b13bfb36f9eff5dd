// Batched autoregressive decoding of a fixed set of prompts on a BatchDecoder: each prompt is prefilled on its own row
// (prompts of any lengths, no padding), each row stops at a stop token or the length limit, and a callback sees every
// step (for streaming).
using Pharos.Models.Transformer;

namespace Pharos.Models.Generation;

public sealed class TokenGenerator(CausalLM model)
{
    /// <summary>Called after each step with the token chosen for every row (-1 for rows already finished).</summary>
    public delegate void StepCallback(int step, int[] tokens);

    /// <param name="stopRow">Asked after each step for rows still running; true ends that row with "stop"
    /// (text-level stop strings, a client that went away).</param>
    /// <remarks>With a seed, row i samples from its own generator (row 0 from the seed itself), so a row's tokens do not
    /// depend on the other prompts of the batch.</remarks>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options,
        StepCallback? onStep = null, CancellationToken cancel = default, Func<int, bool>? stopRow = null)
    {
        options.Validate();
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p.Count == 0)) throw new ArgumentException("every prompt needs at least one token (e.g. BOS)");
        int longest = prompts.Max(p => p.Count);
        if (longest + options.MaxNewTokens > model.Config.MaxPositionEmbeddings)
            throw new ArgumentException($"prompt ({longest} tokens) + max new tokens ({options.MaxNewTokens}) exceed the context length {model.Config.MaxPositionEmbeddings}");

        using var decoder = new BatchDecoder(model, prompts.Count, capacity: longest + options.MaxNewTokens);
        var slots = prompts.Select((p, i) => decoder.Admit(p, options, stream: i)).ToArray();
        if (options.MaxNewTokens > 0)
        {
            var first = new List<BatchDecoder.RowToken>();
            while (decoder.Prefilling)
            {
                cancel.ThrowIfCancellationRequested();
                first.AddRange(decoder.Prefill());
            }
            var tokens = first;
            for (int step = 0; tokens.Count > 0; step++)
            {
                var reported = Enumerable.Repeat(-1, slots.Length).ToArray();
                foreach (var t in tokens) reported[t.Slot] = t.Token;
                onStep?.Invoke(step, reported);
                if (stopRow is not null)
                    foreach (int slot in slots)
                        if (!decoder.IsFinished(slot) && stopRow(slot)) decoder.Finish(slot, "stop");
                cancel.ThrowIfCancellationRequested();
                tokens = [.. decoder.Step()];
            }
        }
        return slots.Select((slot, i) => new GenerationResult([.. decoder.Generated(slot)], decoder.FinishReason(slot) ?? "length", prompts[i].Count)).ToArray();
    }
}
