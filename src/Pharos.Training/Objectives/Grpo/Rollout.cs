// One batch of sampled completions, ready for the loss: prompt + completion token rows (prompts left-padded, completions
// right-padded), the completion mask, advantages, and the log-probs fixed at sampling time (old policy, reference).
using static TorchSharp.torch;

namespace Pharos.Training.Objectives.Grpo;

public sealed class Rollout : IDisposable
{
    public required Tensor Ids { get; init; }              // [N, P + C]
    public required Tensor AttentionMask { get; init; }    // [N, P + C]
    public required Tensor CompletionIds { get; init; }    // [N, C]
    public required Tensor CompletionMask { get; init; }   // [N, C] float
    public required Tensor Advantages { get; init; }       // [N]
    public required Tensor Rewards { get; init; }          // [N] float32 totals
    public Tensor? OldLogp { get; init; }                  // [N, C] when num_iterations > 1
    public Tensor? RefLogp { get; init; }                  // [N, C] when beta > 0
    public required int PromptLength { get; init; }
    /// <summary>The sampling temperature: log-probs are taken of logits / temperature, the distribution the completions
    /// were drawn from (TRL does the same, for the policy, the old policy and the reference).</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Real completion tokens in the batch (the mask's sum): dapo's units.</summary>
    public required long CompletionTokens { get; init; }
    public required Dictionary<string, double> Metrics { get; init; }

    public void Dispose()
    {
        Ids.Dispose();
        AttentionMask.Dispose();
        CompletionIds.Dispose();
        CompletionMask.Dispose();
        Advantages.Dispose();
        Rewards.Dispose();
        OldLogp?.Dispose();
        RefLogp?.Dispose();
    }

    /// <summary>[N, P + C] bool: the positions whose outputs <see cref="TokenLogProbs"/> scores (P−1+j for each real completion token j).</summary>
    public Tensor ScoredPositions()
    {
        using var scope = NewDisposeScope();
        var scored = zeros(Ids.shape, ScalarType.Bool, Ids.device);
        scored.narrow(1, PromptLength - 1, CompletionIds.shape[1]).copy_(CompletionMask.gt(0));
        return scored.MoveToOuterDisposeScope();
    }

    /// <summary>Completion positions projected to the vocabulary at a time in <see cref="TokenLogProbs"/> (as DPO's).</summary>
    const long TokenChunkRows = 2048;

    /// <summary>log π of each completion token [N, C] under <paramref name="model"/> (with gradient unless under no_grad).</summary>
    public Tensor TokenLogProbs(Pharos.Models.Transformer.CausalLM model)
    {
        using var scope = NewDisposeScope();
        long c = CompletionIds.shape[1];
        var hidden = model.Hidden(Ids, attentionMask: AttentionMask);
        // Position P−1+j predicts completion token j.
        // Chunks of positions, recomputed in the backward pass instead of keeping [N, C, vocab] float32 log-softmax.
        var scored = hidden.narrow(1, PromptLength - 1, c).reshape(-1, hidden.shape[^1]);
        var logp = ChunkedTokenLogProbs.Compute(model, scored, CompletionIds.reshape(-1), TokenChunkRows, Temperature);
        return logp.view(CompletionIds.shape).MoveToOuterDisposeScope();
    }
}
