// Grouped-query self-attention with rotary positions, optional logit soft-capping, and a KV cache.
using Pharos.Models.Config;
using Pharos.Models.Families;
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public sealed class Attention : nn.Module
{
    public Linear q_proj, k_proj, v_proj, o_proj;
    readonly FusedProjections qkv;
    internal FusedProjections Qkv => qkv;
    internal Kernels.DecodeAttentionKernel.Shape DecodeShape => new(heads, kvHeads, headDim, scale, softcap);
    readonly int heads, kvHeads, headDim;
    readonly double scale;
    readonly double? softcap;

    public Attention(ModelConfig c, BlockOptions o, ScalarType dtype, Device device) : base(nameof(Attention))
    {
        heads = c.NumHeads;
        kvHeads = c.NumKvHeads;
        headDim = c.HeadDim;
        scale = o.AttentionScale;
        softcap = o.AttnLogitSoftcap;
        qkv = new FusedProjections(c.HiddenSize, [heads * headDim, kvHeads * headDim, kvHeads * headDim], o.QkvBias, dtype, device);
        (q_proj, k_proj, v_proj) = (qkv[0], qkv[1], qkv[2]);
        o_proj = new Linear(heads * headDim, c.HiddenSize, o.OutputBias, dtype, device);
        RegisterComponents();
    }

    /// <param name="x">[B, T, hidden]</param>
    /// <param name="mask">additive [B|1, 1, T, Tk] mask, or null for a plain causal mask without padding.</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, IKvCache? cache, int layerIndex)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1];
        var fused = qkv.Fused(x);
        var projected = fused is null ? qkv.Forward(x) : qkv.Split(fused);
        if (t == 1 && cache is RowKvCache.DecodeView step && Kernels.DecodeAttentionKernel.Applies(x, cos, step.Keys(layerIndex)))
        {
            // Decoding one token per row: rotation, cache write and attention in one pass (see DecodeAttentionKernel),
            // from the fused projection or the separate ones joined.
            var attendedRows = Kernels.DecodeAttentionKernel.Run(fused ?? cat(projected, -1), cos, sin, step.Keys(layerIndex),
                step.Values(layerIndex), step.Slots, step.Window(layerIndex), DecodeShape);
            return o_proj.forward(attendedRows).MoveToOuterDisposeScope();
        }
        if (cache is RowKvCache.DecodeView decoding) mask = decoding.Mask(layerIndex);
        var q = projected[0].view(b, t, heads, headDim).transpose(1, 2);
        var k = projected[1].view(b, t, kvHeads, headDim).transpose(1, 2);
        var v = projected[2].view(b, t, kvHeads, headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (cache is RowKvCache.PackedPrefillView packed)
            return o_proj.forward(AttendSegments(q, k, v, packed, layerIndex)).MoveToOuterDisposeScope();
        if (cache is not null)
            (k, v) = cache.Append(layerIndex, k, v);

        int groups = heads / kvHeads;
        if (t == 1 && groups > 1 && mask is not null)
        {
            // Decoding one token per row: the query heads sharing a key/value head attend as one block of `groups`
            // queries, so the cache is read as it is instead of being repeated per query head (same products and sums).
            var grouped = q.reshape(b, kvHeads, groups, headDim);
            var attended = (softcap is null ? Sdpa(grouped, k, v, mask) : Eager(grouped, k, v, mask)).reshape(b, heads, 1, headDim);
            return o_proj.forward(attended.transpose(1, 2).reshape(b, t, heads * headDim)).MoveToOuterDisposeScope();
        }
        return o_proj.forward(AttendAll(q, k, v, mask)).MoveToOuterDisposeScope();
    }

    /// <summary>Every query head over the keys and values (each key/value head repeated for the query heads sharing it),
    /// merged back to [B, T, heads · headDim]: what a prefill or eager pass does, and a packed prefill for each prompt.</summary>
    Tensor AttendAll(Tensor q, Tensor k, Tensor v, Tensor? mask)
    {
        long b = q.shape[0], t = q.shape[2];
        k = RepeatKv(k);
        v = RepeatKv(v);
        var attended = Kernels.AttentionTrainingKernel.Applies(q, k, v, mask) ? Kernels.AttentionTrainingKernel.Run(q, k, v, scale, mask, softcap)
            : softcap is not null ? Eager(q, k, v, mask)
            : Sdpa(q, k, v, mask);
        return attended.transpose(1, 2).reshape(b, t, heads * headDim);
    }

    /// <summary>Several fresh prompts packed in one sequence [1, ΣT]: each segment's queries, keys and values (views of
    /// the packed ones, laid out as a prompt alone has them) are cached and attended by the same <see cref="AttendAll"/>
    /// as that prompt alone, and the results joined again for the output projection.</summary>
    Tensor AttendSegments(Tensor q, Tensor k, Tensor v, RowKvCache.PackedPrefillView packed, int layerIndex)
    {
        var merged = new List<Tensor>();
        for (int s = 0; s < packed.Segments.Count; s++)
        {
            var segment = packed.Segments[s];
            var (keys, values) = segment.Cache.Append(layerIndex, k.narrow(2, segment.Offset, segment.Tokens), v.narrow(2, segment.Offset, segment.Tokens));
            merged.Add(AttendAll(q.narrow(2, segment.Offset, segment.Tokens), keys, values, packed.Mask(layerIndex, s, q.dtype, q.device)));
        }
        return cat(merged, 1);
    }

    /// <summary>libtorch's fused kernel; it has no scale argument here, so a non-default scale is folded into q.</summary>
    Tensor Sdpa(Tensor q, Tensor k, Tensor v, Tensor? mask)
    {
        double defaultScale = 1.0 / Math.Sqrt(headDim);
        if (Math.Abs(scale - defaultScale) > 1e-12 * defaultScale)
            q = q * (scale / defaultScale);
        return mask is null
            ? nn.functional.scaled_dot_product_attention(q, k, v, is_casual: q.shape[2] > 1)
            : nn.functional.scaled_dot_product_attention(q, k, v, mask);
    }

    /// <summary>Explicit attention, needed for Gemma 2's tanh soft-capping of the logits; softmax in float32 as transformers does.</summary>
    Tensor Eager(Tensor q, Tensor k, Tensor v, Tensor? mask)
    {
        var scores = q.matmul(k.transpose(2, 3)) * scale;
        scores = (scores / softcap!.Value).tanh() * softcap.Value;
        if (mask is not null)
            scores = scores + mask;
        else if (q.shape[2] > 1)
            scores = scores + AttentionMask.Build(null, k.shape[2] - q.shape[2], q.shape[2], k.shape[2], null, null, scores.dtype, scores.device);
        var probs = scores.softmax(-1, float32).to(q.dtype);
        return probs.matmul(v);
    }

    Tensor RepeatKv(Tensor x)
    {
        int groups = heads / kvHeads;
        if (groups == 1) return x;
        long b = x.shape[0], s = x.shape[2];
        return x.unsqueeze(2).expand(b, kvHeads, groups, s, headDim).reshape(b, heads, s, headDim);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) qkv.Dispose();
        base.Dispose(disposing);
    }
}
