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

    public KvCache NewCache(long batch, long capacity) =>
        new(Config.NumLayers, batch, Config.NumKvHeads, capacity, Config.HeadDim, ComputeDType, Device);

    /// <summary>Logits [B, T, vocab] in the model's dtype.</summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KvCache? cache = null, Tensor? documentIds = null)
    {
        using var scope = NewDisposeScope();
        var hidden = Hidden(inputIds, attentionMask, positionIds, cache, documentIds);
        return Logits(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>Final-norm hidden states [B, T, hidden]; training computes the loss from these in chunks.</summary>
    public Tensor Hidden(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KvCache? cache = null, Tensor? documentIds = null)
    {
        using var scope = NewDisposeScope();
        long b = inputIds.shape[0], t = inputIds.shape[1];
        long past = cache?.Length ?? 0;
        var keyMask = attentionMask;
        if (cache is not null)
            keyMask = cache.ExtendMask(attentionMask ?? ones([b, t], int64, inputIds.device));
        bool padded = keyMask is not null && keyMask.to(int64).min().item<long>() == 0;
        if (!padded) keyMask = null;

        positionIds ??= DefaultPositions(attentionMask, past, b, t, inputIds.device, cache);
        var h = model.embed_tokens.forward(inputIds);
        if (h.dtype != ComputeDType) h = h.to(ComputeDType);
        if (Options.ScaleEmbeddings)
            h = h * tensor(Math.Sqrt(Config.HiddenSize), dtype: h.dtype, device: h.device); // rounded to the model dtype, as transformers does

        var (cos, sin) = rotary.CosSin(positionIds, h.dtype);
        long keyLength = past + t;
        bool plainCausal = keyMask is null && documentIds is null && (past == 0 || t == 1);
        Tensor? fullMask = null, slidingMask = null;
        for (int i = 0; i < Config.NumLayers; i++)
        {
            bool sliding = Config.SlidingLayers[i] && Config.SlidingWindow < keyLength;
            Tensor? mask = null;
            if (sliding)
                mask = slidingMask ??= AttentionMask.Build(keyMask, past, t, keyLength, Config.SlidingWindow, documentIds, h.dtype, h.device);
            else if (!plainCausal)
                mask = fullMask ??= AttentionMask.Build(keyMask, past, t, keyLength, null, documentIds, h.dtype, h.device);
            h = Checkpointing is not null && training && cache is null && is_grad_enabled()
                ? Checkpointing.Run(model.layers[i], h, cos, sin, mask)
                : model.layers[i].Forward(h, cos, sin, mask, cache);
        }
        cache?.Advance(t);
        return model.norm.forward(h).MoveToOuterDisposeScope();
    }

    /// <summary>Projects hidden states to the vocabulary and applies final soft-capping (Gemma 2).</summary>
    public Tensor Logits(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        // lm_head's own forward, so an adapter on it (PEFT's target_modules may name lm_head) takes part; both paths compute
        // in the hidden state's dtype (a float32 master weight under bf16 compute is cast at use).
        var tied = model.embed_tokens.weight;
        var logits = lm_head is null ? nn.functional.linear(hidden, tied.dtype == hidden.dtype ? tied : tied.to(hidden.dtype)) : lm_head.forward(hidden);
        if (Options.FinalLogitSoftcap is double cap)
            logits = (logits / cap).tanh() * cap;
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>Positions count real tokens only (left padding does not shift them), as transformers' generate does.</summary>
    static Tensor DefaultPositions(Tensor? attentionMask, long past, long b, long t, Device device, KvCache? cache)
    {
        if (attentionMask is null && (cache is null || past == 0))
            return arange(past, past + t, dtype: int64, device: device).unsqueeze(0).expand(b, t);
        var full = cache is null ? attentionMask! : cache.SlotMask(past + t);
        var positions = full.cumsum(1, int64) - 1;
        return positions.clamp_min(0).narrow(1, past, t);
    }
}
