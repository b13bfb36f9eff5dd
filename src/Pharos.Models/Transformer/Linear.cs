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

    /// <summary>A Linear over existing storage (a block of a fused weight): its parameters share that memory.</summary>
    internal Linear(Tensor weightView, Tensor? biasView) : base(nameof(Linear))
    {
        weight = new Parameter(weightView.detach());
        if (biasView is not null) bias = new Parameter(biasView.detach());
        RegisterComponents();
    }

    public long InFeatures => weight.shape[1];
    public long OutFeatures => weight.shape[0];

    /// <summary>The adapter in charge of this layer's forward, if any (see <see cref="LinearAdapter"/>).</summary>
    public LinearAdapter? Adapter { get; private set; }

    public void Attach(LinearAdapter adapter)
    {
        if (Adapter is not null) throw new InvalidOperationException("this Linear already has an adapter");
        Adapter = adapter;
        foreach (var (name, module) in adapter.Children)
            register_module(name, module);
    }

    /// <summary>The plain projection x·Wᵀ + b, whatever adapter is attached, computed in the input's dtype (a float32
    /// master weight under bf16 compute is cast at use, as autocast does; the cast passes gradients back in float32);
    /// a few decoding rows go through Pharos's kernel.</summary>
    public Tensor Base(Tensor input) => Kernels.SmallBatchMatmul.Linear(input, WeightAs(input.dtype), bias is null ? null : As(bias, input.dtype));

    /// <summary>The weight in <paramref name="dtype"/>: itself when it already is, else a cast that autograd sees through.</summary>
    public Tensor WeightAs(ScalarType dtype) => As(weight, dtype);

    /// <summary><paramref name="t"/> in <paramref name="dtype"/>: itself when it already is, else a cast autograd sees through.</summary>
    public static Tensor As(Tensor t, ScalarType dtype) => t.dtype == dtype ? t : t.to(dtype);

    public override Tensor forward(Tensor input) => Adapter is null ? Base(input) : Adapter.Forward(this, input);
}
