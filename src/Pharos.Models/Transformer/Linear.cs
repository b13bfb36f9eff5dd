// A linear projection whose parameters are created empty (no init cost, works on the meta device);
// named weight/bias like torch.nn.Linear so checkpoint keys match. Adapters (LoRA) wrap it.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public class Linear : nn.Module<Tensor, Tensor>
{
    public Parameter weight;
    public Parameter? bias;

    public Linear(long inFeatures, long outFeatures, bool hasBias, ScalarType dtype, Device device) : base(nameof(Linear))
    {
        weight = new Parameter(empty([outFeatures, inFeatures], dtype, device));
        if (hasBias) bias = new Parameter(empty([outFeatures], dtype, device));
        RegisterComponents();
    }

    public long InFeatures => weight.shape[1];
    public long OutFeatures => weight.shape[0];

    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight, bias);
}
