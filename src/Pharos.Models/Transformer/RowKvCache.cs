// Key/value cache for rows that come and go (continuous batching): row r holds one sequence from slot 0 with its own
// length, so a request can be prefilled while others decode, join the running batch at any step and leave when done.
// Buffers are [rows, kvHeads, capacity, headDim] per layer, allocated once and grown (doubling) only when a row needs it.
using static TorchSharp.torch;

namespace Pharos.Models.Transformer;

public sealed class RowKvCache : IDisposable
{
    readonly Tensor[] keys, values;
    readonly long[] lengths;
    readonly long kvHeads, headDim, maxCapacity;
    readonly ScalarType dtype;
    readonly Device device;
    readonly int?[] windows;

    /// <param name="windows">Per layer, the sliding window its queries see (null: every earlier slot).</param>
    public RowKvCache(int layers, int rows, long kvHeads, long headDim, long capacity, long maxCapacity, ScalarType dtype, Device device, int?[] windows)
    {
        (this.kvHeads, this.headDim, this.maxCapacity, this.dtype, this.device, this.windows) = (kvHeads, headDim, maxCapacity, dtype, device, windows);
        keys = new Tensor[layers];
        values = new Tensor[layers];
        lengths = new long[rows];
        Capacity = Math.Min(Math.Max(capacity, 1), maxCapacity);
        for (int i = 0; i < layers; i++)
        {
            keys[i] = zeros([rows, kvHeads, Capacity, headDim], dtype, device).DetachFromDisposeScope();
            values[i] = zeros([rows, kvHeads, Capacity, headDim], dtype, device).DetachFromDisposeScope();
        }
    }

    public int Rows => lengths.Length;
    public long Capacity { get; private set; }

    /// <summary>Tokens row <paramref name="row"/> holds (its next token goes to this slot and has this position).</summary>
    public long Length(int row) => lengths[row];

    /// <summary>Empties a row for its next sequence; its old slots are never read again.</summary>
    public void Reset(int row) => lengths[row] = 0;

    /// <summary>Makes room for <paramref name="slots"/> slots per row, keeping what is cached (doubling, up to the context length).</summary>
    public void EnsureCapacity(long slots)
    {
        if (slots <= Capacity) return;
        if (slots > maxCapacity)
            throw new InvalidOperationException($"KV cache: {slots} slots exceed the context length {maxCapacity}");
        long grown = Math.Min(maxCapacity, Math.Max(slots, Capacity * 2));
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = Grow(keys[i], grown);
            values[i] = Grow(values[i], grown);
        }
        Capacity = grown;
    }

    Tensor Grow(Tensor old, long capacity)
    {
        // Owned by the cache, not by whatever dispose scope the pass that grew it runs in.
        var fresh = zeros([old.shape[0], kvHeads, capacity, headDim], dtype, device).DetachFromDisposeScope();
        fresh.narrow(2, 0, old.shape[2]).copy_(old);
        old.Dispose();
        return fresh;
    }

    /// <summary>The cache a prefill pass of <paramref name="tokens"/> tokens of one row writes to, after the tokens it holds.</summary>
    public IKvCache ForPrefill(int row, long tokens)
    {
        EnsureCapacity(lengths[row] + tokens);
        return new PrefillView(this, row, lengths[row], tokens);
    }

    /// <summary>The cache a prefill pass of several fresh prompts packed into one sequence writes to: segment s is the
    /// first <c>Tokens</c> tokens of row <c>Row</c>, placed one after another. Each segment writes through the same view
    /// a prompt prefilled alone would use, and attention runs segment by segment (see <see cref="PackedPrefillView"/>).</summary>
    public PackedPrefillView ForPackedPrefill(IReadOnlyList<(int Row, long Tokens)> segments)
    {
        var views = new List<PackedPrefillView.Segment>();
        long offset = 0;
        foreach (var (row, tokens) in segments)
        {
            if (lengths[row] != 0) throw new InvalidOperationException($"row {row} is not empty: only fresh prompts are packed");
            views.Add(new PackedPrefillView.Segment(row, offset, tokens, ForPrefill(row, tokens)));
            offset += tokens;
        }
        return new PackedPrefillView(this, views);
    }

    /// <summary>A packed prefill's view: attention asks it for each segment's cache and mask; it has no Append of its
    /// own, since keys of one prompt must never meet queries of another. Dispose it when the pass is done (its masks
    /// live across the layers' dispose scopes).</summary>
    public sealed class PackedPrefillView(RowKvCache cache, IReadOnlyList<PackedPrefillView.Segment> segments) : IKvCache, IDisposable
    {
        public sealed record Segment(int Row, long Offset, long Tokens, IKvCache Cache);

        readonly Dictionary<(int Segment, int Window), Tensor> masks = new();

        public IReadOnlyList<Segment> Segments => segments;

        /// <summary>The mask segment <paramref name="s"/> attends with at <paramref name="layer"/>, as its prefill alone gets
        /// it: a sliding-window mask where the layer's window is shorter than the segment, else none (plain causal).</summary>
        public Tensor? Mask(int layer, int s, ScalarType dtype, Device device)
        {
            if (cache.windows[layer] is not int window || window >= segments[s].Tokens) return null;
            if (!masks.TryGetValue((s, window), out var mask))
                masks[(s, window)] = mask = AttentionMask.Build(null, 0, segments[s].Tokens, segments[s].Tokens, window, null, dtype, device)
                    .DetachFromDisposeScope();
            return mask;
        }

        public void Dispose()
        {
            foreach (var mask in masks.Values) mask.Dispose();
            masks.Clear();
        }

        public (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v) =>
            throw new InvalidOperationException("a packed prefill attends segment by segment");
    }

    /// <summary>Records that the prefill pass of <paramref name="tokens"/> tokens of row <paramref name="row"/> is cached.</summary>
    public void Advance(int row, long tokens) => lengths[row] += tokens;

    /// <summary>The cache a decode pass over rows [0, R) writes to: one token per row at that row's own length.
    /// <paramref name="positions"/> [R, 1] int64 holds each row's length (its new token's slot and position) and
    /// <paramref name="decoding"/> the same on the host, −1 for a row in the range that is not decoding; attention reads
    /// the first <paramref name="keyLength"/> slots (masked per row). Dispose it when the pass is done.</summary>
    public DecodeView ForDecode(Tensor positions, long keyLength, long[] decoding) => new(this, positions, keyLength, decoding);

    sealed class PrefillView(RowKvCache cache, int row, long start, long tokens) : IKvCache
    {
        public (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
        {
            var rowKeys = cache.keys[layer].narrow(0, row, 1);
            var rowValues = cache.values[layer].narrow(0, row, 1);
            rowKeys.narrow(2, start, tokens).copy_(k);
            rowValues.narrow(2, start, tokens).copy_(v);
            return (rowKeys.narrow(2, 0, start + tokens), rowValues.narrow(2, 0, start + tokens));
        }
    }

    /// <summary>A decoding step's view: appended through libtorch ops (with a per-row mask, made when first asked for),
    /// or read and written directly by Pharos's decode attention kernel (Keys, Values, Slots, Window).</summary>
    public sealed class DecodeView : IKvCache, IDisposable
    {
        readonly RowKvCache cache;
        readonly Tensor positions;
        Tensor? slotIndex; // made when the eager append first needs it: Pharos's decoding step never does
        readonly long keyLength;
        readonly Dictionary<int, Tensor> masks = new();

        internal DecodeView(RowKvCache cache, Tensor positions, long keyLength, long[] decoding)
        {
            (this.cache, this.positions, this.keyLength, Slots) = (cache, positions, keyLength, decoding);
        }

        int Rows => Slots.Length;
        public long[] Slots { get; }
        public Tensor Keys(int layer) => cache.keys[layer];
        public Tensor Values(int layer) => cache.values[layer];
        public int? Window(int layer) => cache.windows[layer];

        /// <summary>The additive mask [R, 1, 1, keyLength] of a layer (each row sees its own slots, within its window).</summary>
        public Tensor Mask(int layer)
        {
            int window = Window(layer) ?? 0;
            if (!masks.TryGetValue(window, out var mask))
                masks[window] = mask = AttentionMask.ForRows(positions, keyLength, Window(layer), cache.dtype).DetachFromDisposeScope();
            return mask;
        }

        public (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
        {
            var rowKeys = cache.keys[layer].narrow(0, 0, Rows);
            var rowValues = cache.values[layer].narrow(0, 0, Rows);
            slotIndex ??= positions.view(Rows, 1, 1, 1).expand(Rows, cache.kvHeads, 1, cache.headDim).DetachFromDisposeScope();
            rowKeys.scatter_(2, slotIndex, k);
            rowValues.scatter_(2, slotIndex, v);
            return (rowKeys.narrow(2, 0, keyLength), rowValues.narrow(2, 0, keyLength));
        }

        public void Dispose()
        {
            slotIndex?.Dispose();
            foreach (var mask in masks.Values) mask.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var t in keys) t.Dispose();
        foreach (var t in values) t.Dispose();
    }
}
