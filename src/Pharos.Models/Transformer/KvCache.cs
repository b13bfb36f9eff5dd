// Key/value cache for incremental decoding: one preallocated [B, kvHeads, capacity, headDim] buffer per layer,
// plus the 2-D attention mask over cache slots (0 = padding) so left-padded batches decode correctly.
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public sealed class KvCache : IDisposable
{
    readonly Tensor[] keys, values;
    Tensor slotMask; // [B, capacity] int64: 1 where a slot holds a real token

    public KvCache(int layers, long batch, long kvHeads, long capacity, long headDim, ScalarType dtype, Device device)
    {
        keys = new Tensor[layers];
        values = new Tensor[layers];
        for (int i = 0; i < layers; i++)
        {
            keys[i] = zeros([batch, kvHeads, capacity, headDim], dtype, device);
            values[i] = zeros([batch, kvHeads, capacity, headDim], dtype, device);
        }
        slotMask = zeros([batch, capacity], int64, device);
        Capacity = capacity;
    }

    /// <summary>Slots already filled (the same for every row; padding is recorded in the slot mask).</summary>
    public long Length { get; private set; }
    public long Capacity { get; }

    /// <summary>Records the attention mask of the tokens about to be appended and returns the mask over all slots so far.</summary>
    public Tensor ExtendMask(Tensor newMask)
    {
        long t = newMask.shape[1];
        if (Length + t > Capacity)
            throw new InvalidOperationException($"KV cache full: {Length} + {t} tokens exceed its capacity of {Capacity}");
        slotMask.narrow(1, Length, t).copy_(newMask);
        return slotMask.narrow(1, 0, Length + t);
    }

    /// <summary>The mask over the first <paramref name="slots"/> slots (after ExtendMask recorded this step).</summary>
    public Tensor SlotMask(long slots) => slotMask.narrow(1, 0, slots);

    /// <summary>Writes this step's keys and values of one layer and returns views over every filled slot.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        long t = k.shape[2];
        keys[layer].narrow(2, Length, t).copy_(k);
        values[layer].narrow(2, Length, t).copy_(v);
        return (keys[layer].narrow(2, 0, Length + t), values[layer].narrow(2, 0, Length + t));
    }

    /// <summary>Called once per forward pass after every layer appended its step.</summary>
    public void Advance(long tokens) => Length += tokens;

    public void Dispose()
    {
        foreach (var t in keys) t.Dispose();
        foreach (var t in values) t.Dispose();
        slotMask.Dispose();
    }
}
