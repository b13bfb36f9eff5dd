// Something a decoder layer's forward depends on besides its inputs — a random generator (LoRA dropout), a per-forward
// context (SparseLoRA's split of rows) — that activation checkpointing must put back when it recomputes the layer.
namespace Pharos.Models.Transformer;

public interface IRecomputeState
{
    /// <summary>The state as the layer's forward begins; kept until that layer's backward (disposed then if IDisposable).</summary>
    object? Capture();

    /// <summary>Puts <paramref name="state"/> back for the recomputation; disposing the result restores what was there before.</summary>
    IDisposable Replay(object? state);
}
