// One sequence in a BatchDecoder: its prompt (and how much of it is cached), options, own random generator when
// seeded, the tokens generated so far, the token to feed next, and why it finished.
using static TorchSharp.torch;

namespace Pharos.Models.Generation;

internal sealed class DecodeRow(int slot, IReadOnlyList<int> prompt, GenerationOptions options, Generator? rng, long admitted) : IDisposable
{
    public int Slot { get; } = slot;
    public IReadOnlyList<int> Prompt { get; } = prompt;
    public GenerationOptions Options { get; } = options;
    /// <summary>Null for greedy and unseeded rows (those draw from libtorch's default generator).</summary>
    public Generator? Rng { get; } = rng;
    public long Admitted { get; } = admitted;
    public int Prefilled { get; set; }
    public List<int> Generated { get; } = new();
    /// <summary>The newest token, not yet in the cache; null until prefill is done and after the row finished.</summary>
    public int? Pending { get; set; }
    public string? FinishReason { get; set; }

    public bool Prefilling => Prefilled < Prompt.Count && FinishReason is null;
    public bool Decoding => Pending is not null && FinishReason is null;
    /// <summary>Greedy without a repetition penalty: argmax of the logits, shared by every such row of a step.</summary>
    public bool PlainGreedy => Options.Greedy && Options.RepetitionPenalty == 1.0;

    public void Dispose() => Rng?.Dispose();
}
