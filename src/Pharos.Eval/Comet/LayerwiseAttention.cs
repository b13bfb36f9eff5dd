// COMET's scalar mix of the encoder's hidden states: γ · Σ_k w_k · h_k with w = softmax or sparsemax of learned
// scalars, each h_k optionally normalised over the sentence's real tokens first (the masked layer norm).
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pharos.Eval.Comet;

public sealed class LayerwiseAttention : nn.Module
{
    public ParameterList scalar_parameters;
    public Parameter gamma;
    readonly bool sparsemax, layerNorm;

    public LayerwiseAttention(int numLayers, string transformation, bool layerNorm, ScalarType dtype, Device device) : base(nameof(LayerwiseAttention))
    {
        // COMET switches to sparsemax only for exactly "sparsemax"; anything else (including 2.2.4's "sparsemax_patch") is softmax.
        sparsemax = transformation == "sparsemax";
        this.layerNorm = layerNorm;
        scalar_parameters = new ParameterList();
        for (int i = 0; i < numLayers; i++) scalar_parameters.Add(new Parameter(zeros(1, dtype, device)));
        gamma = new Parameter(ones(1, dtype, device));
        RegisterComponents();
    }

    /// <summary>The normalised layer weights, as doubles (for reports and tests).</summary>
    public double[] Weights()
    {
        using var scope = NewDisposeScope();
        return Normalised().to(float64).cpu().data<double>().ToArray();
    }

    Tensor Normalised()
    {
        var raw = cat(scalar_parameters.Select(p => (Tensor)p).ToArray(), 0);
        return sparsemax ? Sparsemax.Apply(raw) : raw.softmax(0);
    }

    /// <param name="states">one [B, T, D] tensor per layer.</param>
    /// <param name="mask">[B, T] attention mask (1/true for tokens).</param>
    public Tensor Forward(IReadOnlyList<Tensor> states, Tensor mask)
    {
        if (states.Count != scalar_parameters.Count)
            throw new ArgumentException($"{states.Count} hidden states for a mix of {scalar_parameters.Count} layers");
        using var scope = NewDisposeScope();
        var weights = Normalised();
        var weightValues = weights.to(float64).cpu().data<double>().ToArray();
        Tensor? maskFloat = layerNorm ? mask.to(states[0].dtype) : null;
        Tensor? sum = null;
        for (int k = 0; k < states.Count; k++)
        {
            if (weightValues[k] == 0) continue; // sparsemax's exact zeros add nothing
            var h = maskFloat is null ? states[k] : MaskedLayerNorm(states[k], maskFloat);
            var piece = weights[k] * h;
            sum = sum is null ? piece : sum + piece;
        }
        sum ??= zeros_like(states[0]);
        return (gamma * sum).MoveToOuterDisposeScope();
    }

    /// <summary>Normalises h by the mean and variance over the sentence's real tokens (all features together).</summary>
    static Tensor MaskedLayerNorm(Tensor h, Tensor mask)
    {
        long b = h.shape[0], d = h.shape[2];
        var broadcast = mask.unsqueeze(-1);
        var masked = h * broadcast;
        var count = mask.sum(1) * d;
        var mean = (masked.view(b, -1).sum(1) / count).view(b, 1, 1);
        var variance = ((masked - mean) * broadcast).pow(2).view(b, -1).sum(1) / count;
        return (h - mean) / (variance + 1e-12).sqrt().view(b, 1, 1);
    }
}
