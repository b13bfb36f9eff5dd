// A decoder-only language model (…ForCausalLM): embeddings → layers → norm → lm_head (or tied embeddings),
// with the family's options (embedding scale, final soft-capping, sliding layers) applied.
using Pharos.Models.Config;
using Pharos.Models.Families;
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public sealed class CausalLM : nn.Module
{
    public DecoderStack model;
    public Linear? lm_head;
    readonly RotaryEmbedding rotary;

    public CausalLM(ModelConfig config, ScalarType dtype, Device device) : base(config.Architecture)
    {
        Config = config;
        Options = config.Blocks;
        DType = dtype;
        ComputeDType = dtype;
        Device = device;
        model = new DecoderStack(config, Options, dtype, device);
        if (!config.TieWordEmbeddings)
            lm_head = new Linear(config.HiddenSize, config.VocabSize, false, dtype, device);
        // RoPE tables are computed, not loaded; on the meta device there is nothing to compute.
        rotary = new RotaryEmbedding(config.HeadDim, config.RopeTheta, config.RopeScaling, device.type == TorchSharp.DeviceType.META ? CPU : device);
        RegisterComponents();
    }

    public ModelConfig Config { get; }
    public BlockOptions Options { get; }
    /// <summary>The dtype the weights were built or loaded in (what a saved model is written in).</summary>
    public ScalarType DType { get; }
    public Device Device { get; }

    /// <summary>The dtype activations flow in: the embedding output is cast to it and every block computes in its input's
    /// dtype (weights of another dtype are cast at use). Equal to <see cref="DType"/> unless a training precision policy
    /// sets it (bf16 compute over float32 master weights).</summary>
    public ScalarType ComputeDType { get; set; }

    /// <summary>When set, training forwards recompute each layer's activations in the backward pass (gradient checkpointing).</summary>
    public ActivationCheckpointing? Checkpointing { get; set; }

    /// <summary>The output projection: lm_head, or the embedding matrix when tied.</summary>
    public Tensor OutputWeight => lm_head?.weight ?? model.embed_tokens.weight;

    /// <summary>A cache for <paramref name="rows"/> sequences that come and go (see <see cref="RowKvCache"/>), starting
    /// with room for <paramref name="capacity"/> tokens per row and growing up to the context length.</summary>
    public RowKvCache NewRowCache(int rows, long capacity) =>
        new(Config.NumLayers, rows, Config.NumKvHeads, Config.HeadDim, capacity, Config.MaxPositionEmbeddings, ComputeDType, Device,
            Config.SlidingLayers.Select(sliding => sliding ? Config.SlidingWindow : (int?)null).ToArray());

    /// <summary>Logits [B, T, vocab] in the model's dtype.</summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, Tensor? documentIds = null)
    {
        using var scope = NewDisposeScope();
        var hidden = Hidden(inputIds, attentionMask, positionIds, documentIds);
        return Logits(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>Final-norm hidden states [B, T, hidden]; training computes the loss from these in chunks.</summary>
    public Tensor Hidden(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, Tensor? documentIds = null)
    {
        using var scope = NewDisposeScope();
        long b = inputIds.shape[0], t = inputIds.shape[1];
        var keyMask = attentionMask;
        bool padded = keyMask is not null && keyMask.to(int64).min().item<long>() == 0;
        if (!padded) keyMask = null;
        positionIds ??= attentionMask is null
            ? arange(0, t, dtype: int64, device: inputIds.device).unsqueeze(0).expand(b, t)
            : (attentionMask.cumsum(1, int64) - 1).clamp_min(0); // real tokens only: left padding does not shift positions, as in transformers' generate

        bool plainCausal = keyMask is null && documentIds is null;
        Tensor? fullMask = null, slidingMask = null;
        var h = Layers(inputIds, positionIds, t, sliding => sliding
            ? slidingMask ??= AttentionMask.Build(keyMask, 0, t, t, Config.SlidingWindow, documentIds, ComputeDType, inputIds.device)
            : plainCausal ? null : fullMask ??= AttentionMask.Build(keyMask, 0, t, t, null, documentIds, ComputeDType, inputIds.device), cache: null);
        return model.norm.forward(h).MoveToOuterDisposeScope();
    }

    /// <summary>Runs <paramref name="ids"/> [1, T] of row <paramref name="row"/> after the tokens the row already holds in
    /// <paramref name="cache"/> (a prompt, or the next chunk of one) and caches them. Returns the logits [1, vocab] of the
    /// last position when <paramref name="wantLogits"/>, else null (earlier chunks of a prompt need no logits).</summary>
    public Tensor? Prefill(Tensor ids, RowKvCache cache, int row, bool wantLogits)
    {
        using var scope = NewDisposeScope();
        long start = cache.Length(row), t = ids.shape[1];
        var positions = arange(start, start + t, dtype: int64, device: ids.device).unsqueeze(0);
        Tensor? fullMask = null, slidingMask = null;
        var h = Layers(ids, positions, start + t, sliding => sliding
            ? slidingMask ??= AttentionMask.Build(null, start, t, start + t, Config.SlidingWindow, null, ComputeDType, ids.device)
            : start == 0 ? null : fullMask ??= AttentionMask.Build(null, start, t, start + t, null, null, ComputeDType, ids.device),
            cache.ForPrefill(row, t));
        cache.Advance(row, t);
        if (!wantLogits) return null;
        var last = model.norm.forward(h.narrow(1, t - 1, 1));
        return Logits(last).squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>Prefills several fresh prompts (empty cache rows) in one pass, packed one after another: the layers' matmuls
    /// run once over all their tokens while attention and the cache go prompt by prompt. Returns the logits [P, vocab]
    /// of each prompt's last position. Bit-identical to <see cref="Prefill"/> of each alone wherever the matmuls give a
    /// row the same result whatever rows are computed with it, which <see cref="Generation.PackedPrefill"/> checks.</summary>
    public Tensor PrefillPacked(IReadOnlyList<(int Row, int[] Ids)> prompts, RowKvCache cache)
    {
        using var scope = NewDisposeScope();
        var ids = tensor(prompts.SelectMany(p => p.Ids).Select(x => (long)x).ToArray(), int64, Device).unsqueeze(0);
        var positions = tensor(prompts.SelectMany(p => Enumerable.Range(0, p.Ids.Length)).Select(x => (long)x).ToArray(), int64, Device).unsqueeze(0);
        using var view = cache.ForPackedPrefill(prompts.Select(p => (p.Row, (long)p.Ids.Length)).ToArray());
        var h = Layers(ids, positions, prompts.Max(p => p.Ids.Length), _ => null, view);
        foreach (var (row, prompt) in prompts) cache.Advance(row, prompt.Length);
        var lastPositions = view.Segments.Select(s => s.Offset + s.Tokens - 1).ToArray();
        var last = model.norm.forward(h.index_select(1, tensor(lastPositions, int64, Device)));
        return Logits(last).squeeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>One decoding step for rows [0, R) of <paramref name="cache"/>: <paramref name="ids"/> [R, 1] is each row's
    /// newest token and <paramref name="positions"/> [R, 1] its position (the row's length, where it is cached), and
    /// <paramref name="decoding"/> the same on the host, −1 for rows in the range that are not decoding (they just hold a
    /// stale slot). Keys are read up to <paramref name="keyLength"/> (longest row + 1), each row to its own length.
    /// Returns logits [R, vocab]; the caller advances the lengths of the rows it decodes.</summary>
    public Tensor DecodeStep(Tensor ids, Tensor positions, long keyLength, long[] decoding, RowKvCache cache)
    {
        using var scope = NewDisposeScope();
        using var step = cache.ForDecode(positions, keyLength, decoding);
        if (Kernels.DecodeStepKernel.AppliesToLogits(this, ids, step))
        {
            // Embeddings to logits in one routine (see there); RoPE's cos/sin come from a table made once with libtorch's
            // ops (a step's eight small ops cost ~0.15 ms, as much as 1.7% of a batch-1 step), or from those ops where
            // the table could differ; the final soft-capping stays libtorch's.
            if (rotary.DecodeTable(keyLength) is { } table)
                return SoftCap(Kernels.DecodeStepKernel.Logits(this, ids, table, step)).MoveToOuterDisposeScope();
            var (cos, sin) = rotary.CosSin(positions, ComputeDType);
            return SoftCap(Kernels.DecodeStepKernel.Logits(this, ids, cos, sin, step)).MoveToOuterDisposeScope();
        }
        // No mask here: the decode attention kernel needs none, and the eager path asks the step for its layer's.
        var h = Layers(ids, positions, keyLength, _ => null, step);
        return Logits(model.norm.forward(h)).squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>Embeddings → every decoder layer; <paramref name="maskFor"/> gives the mask of sliding (true) or full layers.</summary>
    Tensor Layers(Tensor ids, Tensor positions, long keyLength, Func<bool, Tensor?> maskFor, IKvCache? cache)
    {
        var h = model.embed_tokens.forward(ids);
        if (h.dtype != ComputeDType) h = h.to(ComputeDType);
        if (Options.ScaleEmbeddings)
            h = h * tensor(Math.Sqrt(Config.HiddenSize), dtype: h.dtype, device: h.device); // rounded to the model dtype, as transformers does
        var (cos, sin) = rotary.CosSin(positions, h.dtype);
        if (cache is RowKvCache.DecodeView step && Kernels.DecodeStepKernel.Applies(h, model.layers, step))
            return Kernels.DecodeStepKernel.Run(h, cos, sin, model.layers, step); // the layers in one routine (see there)
        for (int i = 0; i < Config.NumLayers; i++)
        {
            bool sliding = Config.SlidingLayers[i] && Config.SlidingWindow < keyLength;
            var mask = maskFor(sliding);
            h = Checkpointing is not null && training && cache is null && is_grad_enabled()
                ? Checkpointing.Run(model.layers[i], h, cos, sin, mask)
                : model.layers[i].Forward(h, cos, sin, mask, cache);
        }
        return h;
    }

    /// <summary>Projects hidden states to the vocabulary and applies final soft-capping (Gemma 2).</summary>
    public Tensor Logits(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        // lm_head's own forward, so an adapter on it (PEFT's target_modules may name lm_head) takes part; both paths compute
        // in the hidden state's dtype (a float32 master weight under bf16 compute is cast at use), and a few decoding rows
        // go through Pharos's kernel as every Linear's do.
        var tied = model.embed_tokens.weight;
        var logits = lm_head is null ? Kernels.SmallBatchMatmul.Linear(hidden, Linear.As(tied, hidden.dtype)) : lm_head.forward(hidden);
        return SoftCap(logits).MoveToOuterDisposeScope();
    }

    /// <summary>The output weight when <see cref="Logits"/> is the plain product with it (then soft-capped, see
    /// <see cref="SoftCapped"/>): the tied embedding, or an lm_head with no adapter and no bias. Null otherwise (an adapter
    /// on lm_head must take part in the forward).</summary>
    public Tensor? PlainOutputWeight => lm_head is null ? model.embed_tokens.weight : lm_head.Adapter is null && lm_head.bias is null ? lm_head.weight : null;

    /// <summary>Gemma 2's final soft-capping, cap·tanh(logits / cap), when the family sets it; the logits unchanged otherwise.</summary>
    public Tensor SoftCapped(Tensor logits) => SoftCap(logits);

    Tensor SoftCap(Tensor logits) => Options.FinalLogitSoftcap is double cap ? (logits / cap).tanh() * cap : logits;
}
