// RMSNorm computed in float32 as transformers does: Llama/Qwen2 scale by w (cast back before scaling),
// Gemma2 by (1 + w) in float32 (cast back after scaling). The output has the input's dtype whatever the gain's.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    public Parameter weight;
    readonly double eps;
    readonly bool addsOne;

    public RmsNorm(long dim, double eps, bool addsOne, ScalarType dtype, Device device) : base(nameof(RmsNorm))
    {
        weight = new Parameter(empty([dim], dtype, device));
        this.eps = eps;
        this.addsOne = addsOne;
        RegisterComponents();
    }

    public bool AddsOne => addsOne;
    internal double Eps => eps;

    public override Tensor forward(Tensor x)
    {
        if (Kernels.RowNormKernel.Applies(x, weight)) return Kernels.RowNormKernel.Run(x, weight, eps, addsOne);
        using var scope = NewDisposeScope();
        var inputType = x.dtype;
        var h = x.to(float32);
        var normed = h * h.pow(2).mean([-1], keepdim: true).add(eps).rsqrt();
        Tensor result = addsOne
            ? (normed * (weight.to(float32) + 1.0)).to(inputType)
            : (weight.dtype == inputType ? weight : weight.to(inputType)) * normed.to(inputType);
        return result.MoveToOuterDisposeScope();
    }
}
