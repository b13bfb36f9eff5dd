// XLM-R's input embeddings: words + RoBERTa positions (counted from the padding index, padding keeps it) + token type 0, then LayerNorm.
using TorchSharp.Modules;
using static TorchSharp.torch;
using PharosEmbedding = Pharos.Models.Transformer.Embedding;

namespace Pharos.Eval.Comet.XlmRoberta;

public sealed class XlmRobertaEmbeddings : nn.Module
{
    public PharosEmbedding word_embeddings, position_embeddings, token_type_embeddings;
    public LayerNorm LayerNorm;
    readonly long padId;

    public XlmRobertaEmbeddings(XlmRobertaConfig c, ScalarType dtype, Device device) : base(nameof(XlmRobertaEmbeddings))
    {
        padId = c.PadTokenId;
        word_embeddings = new PharosEmbedding(c.VocabSize, c.HiddenSize, dtype, device);
        position_embeddings = new PharosEmbedding(c.MaxPositionEmbeddings, c.HiddenSize, dtype, device);
        token_type_embeddings = new PharosEmbedding(c.TypeVocabSize, c.HiddenSize, dtype, device);
        LayerNorm = nn.LayerNorm(c.HiddenSize, c.LayerNormEps, dtype: dtype, device: device);
        RegisterComponents();
    }

    /// <param name="ids">[B, T] token ids, right-padded with the pad id.</param>
    public Tensor Forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var notPad = ids.ne(padId).to(int64);
        var positions = notPad.cumsum(1) * notPad + padId;
        var typeRow = token_type_embeddings.weight[0];
        var sum = word_embeddings.forward(ids) + position_embeddings.forward(positions) + typeRow;
        return LayerNorm.forward(sum).MoveToOuterDisposeScope();
    }
}
