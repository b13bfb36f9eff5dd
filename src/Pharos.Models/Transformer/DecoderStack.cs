// The `model.` part of a checkpoint: token embeddings, the decoder layers and the final norm.
using Pharos.Models.Config;
using Pharos.Models.Families;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public sealed class DecoderStack : nn.Module
{
    public Embedding embed_tokens;
    public ModuleList<DecoderLayer> layers;
    public RmsNorm norm;

    public DecoderStack(ModelConfig c, BlockOptions o, ScalarType dtype, Device device) : base(nameof(DecoderStack))
    {
        embed_tokens = new Embedding(c.VocabSize, c.HiddenSize, dtype, device);
        layers = new ModuleList<DecoderLayer>(Enumerable.Range(0, c.NumLayers).Select(i => new DecoderLayer(i, c, o, dtype, device)).ToArray());
        norm = new RmsNorm(c.HiddenSize, c.RmsNormEps, o.NormAddsOne, dtype, device);
        RegisterComponents();
    }
}
