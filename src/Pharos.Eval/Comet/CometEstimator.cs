// COMET's feed-forward head: Linear → activation → dropout (identity at inference) per hidden size, a Linear to one
// score, and an optional final activation. Kept as one Sequential so parameter names are COMET's (ff.0, ff.3, ff.6…).
using Pharos.Models.Errors;
using TorchSharp.Modules;
using static TorchSharp.torch;
using PharosLinear = Pharos.Models.Transformer.Linear;

namespace Pharos.Eval.Comet;

public sealed class CometEstimator : nn.Module<Tensor, Tensor>
{
    public Sequential ff;

    public CometEstimator(long inFeatures, IReadOnlyList<int> hiddenSizes, string activation, string? finalActivation, ScalarType dtype, Device device)
        : base(nameof(CometEstimator))
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        long width = inFeatures;
        foreach (var size in hiddenSizes)
        {
            layers.Add(new PharosLinear(width, size, true, dtype, device));
            layers.Add(Activation(activation));
            layers.Add(nn.Dropout(0.0));
            width = size;
        }
        layers.Add(new PharosLinear(width, 1, true, dtype, device));
        if (finalActivation is not null)
            layers.Add(Activation(finalActivation));
        ff = nn.Sequential(layers.ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor features) => ff.forward(features);

    /// <summary>COMET looks the name up as torch.nn's class name after str.title() ("tanh" → Tanh, "sigmoid" → Sigmoid).</summary>
    static nn.Module<Tensor, Tensor> Activation(string name) => Title(name) switch
    {
        "Tanh" => nn.Tanh(),
        "Sigmoid" => nn.Sigmoid(),
        "Softplus" => nn.Softplus(),
        "Softsign" => nn.Softsign(),
        "Tanhshrink" => nn.Tanhshrink(),
        "Hardtanh" => nn.Hardtanh(),
        _ => throw new InvalidModelException($"activation '{name}' is not supported by Pharos's COMET head (Tanh, Sigmoid, Softplus, Softsign, Tanhshrink, Hardtanh)"),
    };

    static string Title(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();
}
