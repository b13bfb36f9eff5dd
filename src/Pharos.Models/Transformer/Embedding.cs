// Token embedding table (embed_tokens.weight), created empty; a lookup that autograd sees as index_select.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public sealed class Embedding : nn.Module<Tensor, Tensor>
{
    public Parameter weight;

    public Embedding(long vocab, long dim, ScalarType dtype, Device device) : base(nameof(Embedding))
    {
        weight = new Parameter(empty([vocab, dim], dtype, device));
        RegisterComponents();
    }

    public override Tensor forward(Tensor ids)
    {
        using var flat = ids.reshape(-1);
        using var rows = weight.index_select(0, flat);
        long[] shape = [.. ids.shape, weight.shape[1]];
        return rows.reshape(shape);
    }
}
