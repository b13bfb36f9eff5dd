// A reusable open-addressing count table keyed by exactly packed n-grams (no hashing collisions can change a count).
using System.Runtime.CompilerServices;

namespace Pharos.Eval.Metrics;

/// <summary>
/// Keys are n-grams packed losslessly into 64 or 128 bits (ids or code points per lane, 0 = empty lane), so
/// equality is exact. Key, count and liveness share one 24-byte slot (one cache line per probe). Clearing is
/// O(1): a slot is live only when its stamp equals the current generation.
/// </summary>
internal sealed class NGramTable<TKey> where TKey : unmanaged, IEquatable<TKey>
{
    struct Entry
    {
        public TKey Key;
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
    static int Hash(TKey key)
    {
        // The JIT keeps only the branch of the key type in use.
        if (typeof(TKey) == typeof(ulong))
            return (int)((Unsafe.As<TKey, ulong>(ref key) * 0x9E3779B97F4A7C15UL) >> 32);
        var k = Unsafe.As<TKey, UInt128>(ref key);
        var h = ((ulong)k ^ ((ulong)(k >> 64) * 0x9E3779B97F4A7C15UL)) * 0xBF58476D1CE4E5B9UL;
        return (int)(h >> 32);
    }

    /// <summary>Adds one to the key's count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(TKey key) => Slot(key)++;

    /// <summary>Raises the key's count to at least `value` (the max over references in BLEU).</summary>
    public void Max(TKey key, int value)
    {
        ref var count = ref Slot(key);
        if (value > count)
            count = value;
    }

    /// <summary>If the key has a positive count, takes one and returns true (summing these gives Σ min(hyp, ref)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryTake(TKey key) => TryTake(key, out _);

    /// <summary>As <see cref="TryTake(TKey)"/>; `present` tells whether the key was ever added since the last clear.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryTake(TKey key, out bool present)
    {
        present = false;
        var entries = _entries;
        var i = Hash(key) & _mask;
        while (true)
        {
            ref var e = ref entries[i];
            if (e.Stamp != _generation)
                return false;
            if (e.Key.Equals(key))
            {
                present = true;
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

    internal TKey KeyAt(int slot) => _entries[slot].Key;

    internal int CountAt(int slot) => _entries[slot].Count;

    ref int Slot(TKey key)
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
            if (e.Key.Equals(key))
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
