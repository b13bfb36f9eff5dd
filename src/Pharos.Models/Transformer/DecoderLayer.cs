// One pre-norm decoder layer; Gemma 2 adds post-attention and pre/post-feed-forward "sandwich" norms.
using Pharos.Models.Config;
using Pharos.Models.Families;
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public sealed class DecoderLayer : nn.Module
{
    public Attention self_attn;
    public GatedMlp mlp;
    public RmsNorm input_layernorm, post_attention_layernorm;
    public RmsNorm? pre_feedforward_layernorm, post_feedforward_layernorm;
    readonly int index;

    public DecoderLayer(int index, ModelConfig c, BlockOptions o, ScalarType dtype, Device device) : base(nameof(DecoderLayer))
    {
        this.index = index;
        self_attn = new Attention(c, o, dtype, device);
        mlp = new GatedMlp(c, o, dtype, device);
        input_layernorm = new RmsNorm(c.HiddenSize, c.RmsNormEps, o.NormAddsOne, dtype, device);
        post_attention_layernorm = new RmsNorm(c.HiddenSize, c.RmsNormEps, o.NormAddsOne, dtype, device);
        if (o.SandwichNorms)
        {
            pre_feedforward_layernorm = new RmsNorm(c.HiddenSize, c.RmsNormEps, o.NormAddsOne, dtype, device);
            post_feedforward_layernorm = new RmsNorm(c.HiddenSize, c.RmsNormEps, o.NormAddsOne, dtype, device);
        }
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, IKvCache? cache)
    {
        using var scope = NewDisposeScope();
        var attn = self_attn.Forward(input_layernorm.forward(x), cos, sin, mask, cache, index);
        Tensor h, ff;
        if (pre_feedforward_layernorm is null)
        {
            // Llama/Qwen2: post_attention_layernorm is the norm before the MLP.
            h = x + attn;
            ff = mlp.forward(post_attention_layernorm.forward(h));
        }
        else
        {
            h = x + post_attention_layernorm.forward(attn);
            ff = post_feedforward_layernorm!.forward(mlp.forward(pre_feedforward_layernorm.forward(h)));
        }
        return (h + ff).MoveToOuterDisposeScope();
    }
}
