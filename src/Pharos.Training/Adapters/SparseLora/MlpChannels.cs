// MLP channel choice, once per forward and layer: the estimator's gate and up outputs on the sequence-averaged context input,
// scored by |act(g)·u|; gate/up compute the top-k output rows and down_proj reads only those input columns.
using Pharos.Models.Transformer;
using static TorchSharp.torch;

namespace Pharos.Training.Adapters.SparseLora;

public sealed class MlpChannels : ILayerChannels
{
    readonly LowRankFactors gate, up;
    readonly string activation;
    readonly long keep;
    Tensor? channels;
    long forwardId = -1;
    IntPtr input;

    public MlpChannels(LowRankFactors gate, LowRankFactors up, string activation, long keep)
    {
        this.gate = gate;
        this.up = up;
        this.activation = activation;
        this.keep = keep;
    }

    public Tensor? Channels(ProjectionRole role, Tensor x, RowSplit rows, SparseLoraContext context)
    {
        if (role == ProjectionRole.Down)
            return forwardId == context.ForwardId ? channels : null;
        // gate_proj runs first and chooses; up_proj sees the same input tensor and reuses the choice.
        if (role == ProjectionRole.Gate || forwardId != context.ForwardId || input != x.Handle)
        {
            channels?.Dispose();
            channels = Score(x, rows);
            forwardId = context.ForwardId;
            input = x.Handle;
        }
        return channels;
    }

    /// <summary>The top-k channels by |act(ĝ)·û| with ĝ, û the low-rank outputs at the mean context input.</summary>
    public Tensor Score(Tensor x, RowSplit rows)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var mean = rows.ContextOf(x.detach().reshape(-1, x.shape[^1])).to(float32).mean([0], keepdim: true);
        var score = (ActivationFunctions.Apply(activation, gate.Apply(mean)) * up.Apply(mean)).abs().squeeze(0);
        return score.topk((int)keep).indexes.sort().Values.MoveToOuterDisposeScope();
    }
}
