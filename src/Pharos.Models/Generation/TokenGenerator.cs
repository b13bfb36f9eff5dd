// Batched autoregressive decoding with a KV cache: prompts of different lengths are left-padded,
// each row stops at a stop token or the length limit, and a callback sees every step (for streaming).
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Models.Generation;

public sealed class TokenGenerator(CausalLM model)
{
    /// <summary>Called after each step with the token chosen for every row (-1 for rows already finished).</summary>
    public delegate void StepCallback(int step, int[] tokens);

    /// <param name="stopRow">Asked after each step for rows still running; true ends that row with "stop"
    /// (text-level stop strings, a client that went away).</param>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options,
        StepCallback? onStep = null, CancellationToken cancel = default, Func<int, bool>? stopRow = null)
    {
        options.Validate();
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p.Count == 0)) throw new ArgumentException("every prompt needs at least one token (e.g. BOS)");
        int batch = prompts.Count, longest = prompts.Max(p => p.Count);
        long capacity = longest + options.MaxNewTokens;
        if (capacity > model.Config.MaxPositionEmbeddings)
            throw new ArgumentException($"prompt ({longest} tokens) + max new tokens ({options.MaxNewTokens}) exceed the context length {model.Config.MaxPositionEmbeddings}");

        var outputs = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var finish = new string?[batch];
        var stops = options.StopTokenIds.ToHashSet();
        using var noGrad = no_grad();
        using var rng = options.Seed is long seed ? new TorchSharp.torch.Generator((ulong)seed, model.Device) : null;
        using var cache = model.NewCache(batch, capacity);
        using var prompt = LeftPad(prompts, longest, model.Device);
        Tensor? seen = options.RepetitionPenalty != 1.0 ? prompt.Ids.clone() : null;
        var logits = model.Forward(prompt.Ids, prompt.Mask, cache: cache);
        try
        {
            for (int step = 0; step < options.MaxNewTokens && finish.Any(f => f is null); step++)
            {
                cancel.ThrowIfCancellationRequested();
                int[] chosen;
                using (var scope = NewDisposeScope())
                {
                    var last = logits.select(1, logits.shape[1] - 1).to(float32);
                    chosen = LogitsProcessor.NextTokens(last, seen, options, rng).to(int64).cpu().data<long>().Select(x => (int)x).ToArray();
                }
                var reported = new int[batch];
                for (int i = 0; i < batch; i++)
                {
                    reported[i] = -1;
                    if (finish[i] is not null) continue;
                    if (stops.Contains(chosen[i])) { finish[i] = "stop"; continue; }
                    outputs[i].Add(chosen[i]);
                    reported[i] = chosen[i];
                    if (outputs[i].Count == options.MaxNewTokens) finish[i] = "length";
                }
                onStep?.Invoke(step, reported);
                if (stopRow is not null)
                    for (int i = 0; i < batch; i++)
                        if (finish[i] is null && stopRow(i)) finish[i] = "stop";
                if (finish.All(f => f is not null)) break;

                using var next = tensor(chosen.Select(x => (long)x).ToArray(), int64, model.Device).unsqueeze(1);
                if (seen is not null)
                {
                    var grown = cat([seen, next], 1);
                    seen.Dispose();
                    seen = grown;
                }
                logits.Dispose();
                logits = model.Forward(next, cache: cache);
            }
        }
        finally
        {
            logits.Dispose();
            seen?.Dispose();
        }
        return outputs.Select((o, i) => new GenerationResult(o.ToArray(), finish[i] ?? "length", prompts[i].Count)).ToArray();
    }

    sealed record PaddedBatch(Tensor Ids, Tensor Mask) : IDisposable
    {
        public void Dispose() { Ids.Dispose(); Mask.Dispose(); }
    }

    static PaddedBatch LeftPad(IReadOnlyList<IReadOnlyList<int>> prompts, int longest, Device device)
    {
        var ids = new long[prompts.Count * longest];
        var mask = new long[prompts.Count * longest];
        for (int i = 0; i < prompts.Count; i++)
        {
            int offset = i * longest + longest - prompts[i].Count;
            for (int j = 0; j < prompts[i].Count; j++)
            {
                ids[offset + j] = prompts[i][j];
                mask[offset + j] = 1;
            }
        }
        return new PaddedBatch(
            tensor(ids, int64, device).reshape(prompts.Count, longest),
            tensor(mask, int64, device).reshape(prompts.Count, longest));
    }
}
