// The gated feed-forward block shared by all families: down(act(gate(x)) * up(x)) (SwiGLU, or GeGLU for Gemma 2).
using Pharos.Models.Config;
using Pharos.Models.Families;
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public sealed class GatedMlp : nn.Module<Tensor, Tensor>
{
    public Linear gate_proj, up_proj, down_proj;
    readonly string activation;

    public GatedMlp(ModelConfig c, BlockOptions o, ScalarType dtype, Device device) : base(nameof(GatedMlp))
    {
        gate_proj = new Linear(c.HiddenSize, c.IntermediateSize, o.MlpBias, dtype, device);
        up_proj = new Linear(c.HiddenSize, c.IntermediateSize, o.MlpBias, dtype, device);
        down_proj = new Linear(c.IntermediateSize, c.HiddenSize, o.MlpBias, dtype, device);
        activation = o.Activation;
        RegisterComponents();
    }

    public string Activation => activation;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var gated = ActivationFunctions.Apply(activation, gate_proj.forward(x)) * up_proj.forward(x);
        return down_proj.forward(gated).MoveToOuterDisposeScope();
    }
}
