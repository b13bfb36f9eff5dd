// The gated feed-forward block shared by all families: down(act(gate(x)) * up(x)) (SwiGLU, or GeGLU for Gemma 2).
using Pharos.Models.Config;
using Pharos.Models.Families;
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public sealed class GatedMlp : nn.Module<Tensor, Tensor>
{
    public Linear gate_proj, up_proj, down_proj;
    readonly FusedProjections gateUp;
    internal FusedProjections GateUp => gateUp;
    readonly string activation;

    public GatedMlp(ModelConfig c, BlockOptions o, ScalarType dtype, Device device) : base(nameof(GatedMlp))
    {
        gateUp = new FusedProjections(c.HiddenSize, [c.IntermediateSize, c.IntermediateSize], o.MlpBias, dtype, device);
        (gate_proj, up_proj) = (gateUp[0], gateUp[1]);
        down_proj = new Linear(c.IntermediateSize, c.HiddenSize, o.MlpBias, dtype, device);
        activation = o.Activation;
        RegisterComponents();
    }

    public string Activation => activation;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor gated;
        if (gateUp.Fused(x) is { } both)
            gated = Kernels.GatedActivationKernel.Applies(both, activation) ? Kernels.GatedActivationKernel.Run(both, activation)
                : ActivationFunctions.Apply(activation, gateUp.Split(both)[0]) * gateUp.Split(both)[1];
        else
        {
            var projected = gateUp.Forward(x);
            gated = ActivationFunctions.Apply(activation, projected[0]) * projected[1];
        }
        return down_proj.forward(gated).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) gateUp.Dispose();
        base.Dispose(disposing);
    }
}
