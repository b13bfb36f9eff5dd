// The XLM-R encoder without a pooler (as COMET builds it): embeddings and the layer stack, returning every layer's hidden states.
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pharos.Eval.Comet.XlmRoberta;

public sealed class XlmRobertaModel : nn.Module
{
    public XlmRobertaEmbeddings embeddings;
    public XlmRobertaLayerStack encoder;

    public XlmRobertaModel(XlmRobertaConfig config, ScalarType dtype, Device device) : base(nameof(XlmRobertaModel))
    {
        Config = config;
        embeddings = new XlmRobertaEmbeddings(config, dtype, device);
        encoder = new XlmRobertaLayerStack(config, dtype, device);
        RegisterComponents();
    }

    public XlmRobertaConfig Config { get; }

    /// <summary>Number of hidden states returned: the embedding output and one per layer (COMET's num_layers).</summary>
    public int NumStates => Config.NumLayers + 1;

    /// <param name="ids">[B, T] right-padded ids.</param>
    /// <param name="attentionMask">[B, T], true/1 for tokens.</param>
    /// <returns>NumStates tensors [B, T, hidden]; the caller disposes them.</returns>
    public List<Tensor> AllHiddenStates(Tensor ids, Tensor attentionMask)
    {
        var states = new List<Tensor>(NumStates);
        using (var scope = NewDisposeScope())
        {
            var h = embeddings.Forward(ids);
            var keyMask = KeyMask(attentionMask, h.dtype);
            states.Add(h.MoveToOuterDisposeScope());
            foreach (var layer in encoder.layer)
            {
                h = ((XlmRobertaLayer)layer).Forward(h, keyMask);
                states.Add(h.MoveToOuterDisposeScope());
            }
        }
        return states;
    }

    /// <summary>Additive [B, 1, 1, T] mask: 0 for tokens, the dtype's minimum for padding (as transformers builds it).</summary>
    static Tensor KeyMask(Tensor attentionMask, ScalarType dtype)
    {
        var keep = attentionMask.to(@bool).unsqueeze(1).unsqueeze(1);
        var min = dtype switch { ScalarType.Float16 => -65504.0, ScalarType.BFloat16 => -3.3895313892515355e38, _ => float.MinValue };
        return zeros(keep.shape, dtype, keep.device).masked_fill(keep.logical_not(), min);
    }
}

public sealed class XlmRobertaLayerStack : nn.Module
{
    public ModuleList<nn.Module> layer;

    public XlmRobertaLayerStack(XlmRobertaConfig c, ScalarType dtype, Device device) : base(nameof(XlmRobertaLayerStack))
    {
        layer = new ModuleList<nn.Module>();
        for (int i = 0; i < c.NumLayers; i++) layer.Add(new XlmRobertaLayer(c, dtype, device));
        RegisterComponents();
    }
}
