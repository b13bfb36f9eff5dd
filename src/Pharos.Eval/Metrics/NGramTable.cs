// A reusable open-addressing count table keyed by exactly packed n-grams (no hashing collisions can change a count).
using System.Runtime.CompilerServices;

namespace Pharos.Eval.Metrics;

/// <summary>
/// Keys are n-grams packed losslessly into 128 bits (word ids or code points per lane, 0 = empty lane), so
/// equality is exact. Key, count and liveness share one 24-byte slot (one cache line per probe). Clearing is
/// O(1): a slot is live only when its stamp equals the current generation.
/// </summary>
internal sealed class NGramTable
{
    struct Entry
    {
        public UInt128 Key;
        public int Count;
        public int Stamp;
    }

    Entry[] _entries = new Entry[256];
    int _generation = 1;
    int _used;
    int _mask = 255;

    public void Clear(int expected)
    {
        _generation++;
        _used = 0;
        var needed = Math.Max(16, expected * 2);
        if (needed > _entries.Length)
        {
            var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)needed);
            _entries = new Entry[size];
            _mask = size - 1;
            _generation = 1;
        }
        if (_generation == int.MaxValue)
        {
            Array.Clear(_entries);
            _generation = 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int Hash(UInt128 key)
    {
        var lo = (ulong)key;
        var hi = (ulong)(key >> 64);
        var h = (lo ^ (hi * 0x9E3779B97F4A7C15UL)) * 0xBF58476D1CE4E5B9UL;
        return (int)(h >> 32);
    }

    /// <summary>Adds one to the key's count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(UInt128 key) => Slot(key)++;

    /// <summary>Raises the key's count to at least `value` (the max over references in BLEU).</summary>
    public void Max(UInt128 key, int value)
    {
        ref var count = ref Slot(key);
        if (value > count)
            count = value;
    }

    /// <summary>If the key has a positive count, takes one and returns true (summing these gives Σ min(hyp, ref)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryTake(UInt128 key)
    {
        var entries = _entries;
        var i = Hash(key) & _mask;
        while (true)
        {
            ref var e = ref entries[i];
            if (e.Stamp != _generation)
                return false;
            if (e.Key == key)
            {
                if (e.Count <= 0)
                    return false;
                e.Count--;
                return true;
            }
            i = (i + 1) & _mask;
        }
    }

    internal int Capacity => _entries.Length;

    internal bool IsLive(int slot) => _entries[slot].Stamp == _generation;

    internal UInt128 KeyAt(int slot) => _entries[slot].Key;

    internal int CountAt(int slot) => _entries[slot].Count;

    ref int Slot(UInt128 key)
    {
        if ((_used + 1) * 2 > _entries.Length)
            Grow();
        var entries = _entries;
        var i = Hash(key) & _mask;
        while (true)
        {
            ref var e = ref entries[i];
            if (e.Stamp != _generation)
            {
                e.Stamp = _generation;
                e.Key = key;
                e.Count = 0;
                _used++;
                return ref e.Count;
            }
            if (e.Key == key)
                return ref e.Count;
            i = (i + 1) & _mask;
        }
    }

    void Grow()
    {
        var old = _entries;
        var oldGen = _generation;
        _entries = new Entry[old.Length * 2];
        _mask = _entries.Length - 1;
        _generation = 1;
        _used = 0;
        foreach (var e in old)
            if (e.Stamp == oldGen)
                Slot(e.Key) = e.Count;
    }
}
