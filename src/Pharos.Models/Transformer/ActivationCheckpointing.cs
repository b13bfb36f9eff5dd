// Activation checkpointing: a decoder layer's forward runs without keeping its intermediates; in the backward pass the
// layer is run again from its saved input (with the states it depended on replayed) and backpropagated then. Memory
// for activations drops from every intermediate of every layer to one input per layer, for one extra forward.
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Pharos.Models.Transformer;

public sealed class ActivationCheckpointing(IReadOnlyList<IRecomputeState> replayed)
{
    /// <summary>What each recomputation puts back first (generators, adapter contexts), in this order.</summary>
    public IReadOnlyList<IRecomputeState> Replayed { get; } = replayed;

    // Autograd needs at least one input that requires a gradient to record the node at all; with a frozen embedding (LoRA)
    // the first layer's input requires none, yet the layer's adapters do. This leaf stands in and never gets a gradient.
    // Made outside any dispose scope (the first caller's scope would free it).
    static readonly Tensor Anchor = empty(0).requires_grad_(true).DetachFromDisposeScope();

    internal Tensor Run(DecoderLayer layer, Tensor x, Tensor cos, Tensor sin, Tensor? mask) =>
        LayerFunction.Invoke(layer, this, x, cos, sin, mask!, Anchor);

    sealed class LayerFunction : Kernels.HandedOffFunction<LayerFunction>
    {
        public override string Name => "CheckpointedDecoderLayer";

        protected override Tensor Forward(AutogradContext ctx, object[] vars)
        {
            var (layer, owner) = ((DecoderLayer)vars[0], (ActivationCheckpointing)vars[1]);
            Tensor x = (Tensor)vars[2], cos = (Tensor)vars[3], sin = (Tensor)vars[4];
            var mask = vars[5] as Tensor;
            ctx.save_data("layer", layer);
            ctx.save_data("owner", owner);
            ctx.save_data("states", owner.Replayed.Select(r => r.Capture()).ToArray());
            ctx.save_data("input_requires_grad", x.requires_grad);
            ctx.save_for_backward([x, cos, sin, mask!]);
            // Autograd is off here (Function.apply runs forward without recording): nothing inside is kept. The inference
            // kernels stay off too, so this forward computes what the replay in backward (with gradients) computes.
            using (Kernels.InferenceKernels.Suspend())
                return layer.Forward(x, cos, sin, mask, null);
        }

        protected override List<Tensor> Backward(AutogradContext ctx, List<Tensor> saved, Tensor gradOutput)
        {
            var layer = (DecoderLayer)ctx.get_data("layer");
            var owner = (ActivationCheckpointing)ctx.get_data("owner");
            var states = (object?[])ctx.get_data("states");
            Tensor? inputGrad = null;
            // The replay's tensors (its input, output and everything between) are this backward's own: freed when it
            // returns, not at the end of the micro-batch (AutogradHandoff).
            using (NewDisposeScope())
            using (enable_grad())
            {
                var input = saved[0].detach().requires_grad_((bool)ctx.get_data("input_requires_grad"));
                var replays = owner.Replayed.Select((r, i) => r.Replay(states[i])).ToList();
                Tensor output;
                try
                {
                    output = layer.Forward(input, saved[1], saved[2], saved[3], null);
                }
                finally
                {
                    for (int i = replays.Count - 1; i >= 0; i--) replays[i].Dispose();
                    foreach (var s in states) (s as IDisposable)?.Dispose();
                }
                // Parameters (and adapters) receive their gradients here; the input's goes back to the layer below.
                if (output.requires_grad) autograd.backward([output], [gradOutput]);
                if (input.requires_grad) inputGrad = input.grad?.MoveToOuterDisposeScope();
            }
            return [null!, null!, inputGrad!, null!, null!, null!, null!];
        }
    }
}
