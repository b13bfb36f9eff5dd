// One post-norm BERT/XLM-R encoder layer, with transformers' module names (attention.self.query, attention.output.LayerNorm, …).
using Pharos.Models.Transformer;
using TorchSharp.Modules;
using static TorchSharp.torch;
using PharosLinear = Pharos.Models.Transformer.Linear;

namespace Pharos.Eval.Comet.XlmRoberta;

public sealed class XlmRobertaLayer : nn.Module
{
    public XlmRobertaAttention attention;
    public XlmRobertaIntermediate intermediate;
    public DenseAndNorm output;
    readonly string act;

    public XlmRobertaLayer(XlmRobertaConfig c, ScalarType dtype, Device device) : base(nameof(XlmRobertaLayer))
    {
        act = c.HiddenAct;
        attention = new XlmRobertaAttention(c, dtype, device);
        intermediate = new XlmRobertaIntermediate(c, dtype, device);
        output = new DenseAndNorm(c.IntermediateSize, c.HiddenSize, c.LayerNormEps, dtype, device);
        RegisterComponents();
    }

    /// <param name="mask">additive key mask [B, 1, 1, T] (0 for tokens, a large negative number for padding).</param>
    public Tensor Forward(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var attended = attention.Forward(x, mask);
        var inner = ActivationFunctions.Apply(act, intermediate.dense.forward(attended));
        return output.Forward(inner, attended).MoveToOuterDisposeScope();
    }
}

public sealed class XlmRobertaAttention : nn.Module
{
    public XlmRobertaSelfAttention @self;
    public DenseAndNorm output;

    public XlmRobertaAttention(XlmRobertaConfig c, ScalarType dtype, Device device) : base(nameof(XlmRobertaAttention))
    {
        @self = new XlmRobertaSelfAttention(c, dtype, device);
        output = new DenseAndNorm(c.HiddenSize, c.HiddenSize, c.LayerNormEps, dtype, device);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        return output.Forward(@self.Forward(x, mask), x).MoveToOuterDisposeScope();
    }
}

public sealed class XlmRobertaSelfAttention : nn.Module
{
    public PharosLinear query, key, value;
    readonly int heads, headDim;

    public XlmRobertaSelfAttention(XlmRobertaConfig c, ScalarType dtype, Device device) : base(nameof(XlmRobertaSelfAttention))
    {
        heads = c.NumHeads;
        headDim = c.HeadDim;
        query = new PharosLinear(c.HiddenSize, c.HiddenSize, true, dtype, device);
        key = new PharosLinear(c.HiddenSize, c.HiddenSize, true, dtype, device);
        value = new PharosLinear(c.HiddenSize, c.HiddenSize, true, dtype, device);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1];
        var q = query.forward(x).view(b, t, heads, headDim).transpose(1, 2);
        var k = key.forward(x).view(b, t, heads, headDim).transpose(1, 2);
        var v = value.forward(x).view(b, t, heads, headDim).transpose(1, 2);
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, mask);
        return attended.transpose(1, 2).reshape(b, t, heads * headDim).MoveToOuterDisposeScope();
    }
}

public sealed class XlmRobertaIntermediate : nn.Module
{
    public PharosLinear dense;

    public XlmRobertaIntermediate(XlmRobertaConfig c, ScalarType dtype, Device device) : base(nameof(XlmRobertaIntermediate))
    {
        dense = new PharosLinear(c.HiddenSize, c.IntermediateSize, true, dtype, device);
        RegisterComponents();
    }
}

/// <summary>dense → add the residual → LayerNorm: the output block after attention and after the feed-forward.</summary>
public sealed class DenseAndNorm : nn.Module
{
    public PharosLinear dense;
    public LayerNorm LayerNorm;

    public DenseAndNorm(long inFeatures, long outFeatures, double eps, ScalarType dtype, Device device) : base(nameof(DenseAndNorm))
    {
        dense = new PharosLinear(inFeatures, outFeatures, true, dtype, device);
        LayerNorm = nn.LayerNorm(outFeatures, eps, dtype: dtype, device: device);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.forward(dense.forward(x) + residual).MoveToOuterDisposeScope();
    }
}
