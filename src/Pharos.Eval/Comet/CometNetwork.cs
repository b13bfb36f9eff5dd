// The COMET module tree with COMET's parameter names (encoder.model.…, layerwise_attention.…, estimator.ff.…):
// the XLM-R encoder, the layer mix (or one chosen layer) and the feed-forward estimator.
using Pharos.Eval.Comet.XlmRoberta;
using Pharos.Models.Errors;
using static TorchSharp.torch;

namespace Pharos.Eval.Comet;

public sealed class CometNetwork : nn.Module
{
    public EncoderHolder encoder;
    public LayerwiseAttention? layerwise_attention;
    public CometEstimator estimator;
    readonly CometHparams hparams;

    public CometNetwork(CometHparams hparams, XlmRobertaConfig config, int featureCount, ScalarType dtype, Device device) : base(nameof(CometNetwork))
    {
        this.hparams = hparams;
        encoder = new EncoderHolder(new XlmRobertaModel(config, dtype, device));
        int states = config.NumLayers + 1;
        if (hparams.Layer is { } layer && (layer < 0 || layer >= states))
            throw new InvalidModelException($"hparams.yaml: layer {layer} does not exist (the encoder has {states} hidden states)");
        if (hparams.Layer is null)
            layerwise_attention = new LayerwiseAttention(states, hparams.LayerTransformation, hparams.LayerNorm, dtype, device);
        estimator = new CometEstimator((long)config.HiddenSize * featureCount, hparams.HiddenSizes, hparams.Activations, hparams.FinalActivation, dtype, device);
        RegisterComponents();
    }

    public XlmRobertaModel Encoder => encoder.model;

    /// <summary>Mixed (or chosen) hidden states [B, T, D] of one batch.</summary>
    public Tensor Embeddings(Tensor ids, Tensor mask)
    {
        var states = Encoder.AllHiddenStates(ids, mask);
        try
        {
            return layerwise_attention is not null ? layerwise_attention.Forward(states, mask) : states[hparams.Layer!.Value].alias();
        }
        finally
        {
            foreach (var s in states) s.Dispose();
        }
    }

    /// <summary>One vector per row, pooled as hparams' pool says (avg over real tokens, max, cls, or the last layer's CLS).</summary>
    public Tensor SentenceEmbedding(Tensor ids, Tensor mask)
    {
        using var scope = NewDisposeScope();
        Tensor pooled;
        if (hparams.Pool == "default")
        {
            var states = Encoder.AllHiddenStates(ids, mask);
            pooled = states[^1][.., 0, ..].clone();
            foreach (var s in states) s.Dispose();
            return pooled.MoveToOuterDisposeScope();
        }
        var embeddings = Embeddings(ids, mask);
        var padding = ids.eq(XlmRobertaTokenizer.PadId).unsqueeze(-1);
        pooled = hparams.Pool switch
        {
            "avg" => embeddings.masked_fill(padding, 0.0).sum(1) / mask.to(embeddings.dtype).sum(1, keepdim: true),
            "max" => embeddings.masked_fill(padding, double.NegativeInfinity).max(1).values,
            "cls" => embeddings[.., 0, ..],
            _ => throw new InvalidModelException($"hparams.yaml: pool '{hparams.Pool}' is not one of avg, max, cls, default"),
        };
        return pooled.MoveToOuterDisposeScope();
    }

    /// <summary>The unified metric's score of joint inputs: the mixed CLS vector through the estimator.</summary>
    public Tensor JointScore(Tensor ids, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var embeddings = Embeddings(ids, mask);
        return estimator.forward(embeddings[.., 0, ..]).view(-1).MoveToOuterDisposeScope();
    }
}

/// <summary>COMET's encoder wrapper, whose only parameters are its Hugging Face model's ("encoder.model.…").</summary>
public sealed class EncoderHolder : nn.Module
{
    public XlmRobertaModel model;

    public EncoderHolder(XlmRobertaModel model) : base(nameof(EncoderHolder))
    {
        this.model = model;
        RegisterComponents();
    }
}
