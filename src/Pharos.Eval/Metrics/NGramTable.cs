// A reusable open-addressing count table keyed by exactly packed n-grams (no hashing collisions can change a count).
using System.Runtime.CompilerServices;

namespace Pharos.Eval.Metrics;

/// <summary>
/// Keys are n-grams packed losslessly into 128 bits (word ids or code points per lane, 0 = empty lane), so
/// equality is exact. Clearing is O(1): a slot is live only when its stamp equals the current generation.
/// </summary>
internal sealed class NGramTable
{
    UInt128[] _keys = new UInt128[256];
    int[] _counts = new int[256];
    int[] _stamps = new int[256];
    int _generation = 1;
    int _used;
    int _mask = 255;

    public void Clear(int expected)
    {
        _generation++;
        _used = 0;
        var needed = Math.Max(16, expected * 2);
        if (needed > _keys.Length)
        {
            var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)needed);
            _keys = new UInt128[size];
            _counts = new int[size];
            _stamps = new int[size];
            _mask = size - 1;
            _generation = 1;
        }
        if (_generation == int.MaxValue)
        {
            Array.Clear(_stamps);
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

    /// <summary>Adds `delta` to the key's count.</summary>
    public void Add(UInt128 key, int delta = 1)
    {
        ref var count = ref Slot(key, create: true);
        count += delta;
    }

    /// <summary>Raises the key's count to at least `value` (the max over references in BLEU).</summary>
    public void Max(UInt128 key, int value)
    {
        ref var count = ref Slot(key, create: true);
        if (value > count)
            count = value;
    }

    /// <summary>If the key has a positive count, takes one and returns true (summing these gives Σ min(hyp, ref)).</summary>
    public bool TryTake(UInt128 key)
    {
        ref var count = ref Slot(key, create: false);
        if (Unsafe.IsNullRef(ref count) || count <= 0)
            return false;
        count--;
        return true;
    }

    public int Get(UInt128 key)
    {
        ref var count = ref Slot(key, create: false);
        return Unsafe.IsNullRef(ref count) ? 0 : count;
    }

    internal int Capacity => _keys.Length;

    internal bool IsLive(int slot) => _stamps[slot] == _generation;

    internal UInt128 KeyAt(int slot) => _keys[slot];

    internal int CountAt(int slot) => _counts[slot];

    ref int Slot(UInt128 key, bool create)
    {
        if (create && (_used + 1) * 2 > _keys.Length)
            Grow();
        var i = Hash(key) & _mask;
        while (true)
        {
            if (_stamps[i] != _generation)
            {
                if (!create)
                    return ref Unsafe.NullRef<int>();
                _stamps[i] = _generation;
                _keys[i] = key;
                _counts[i] = 0;
                _used++;
                return ref _counts[i];
            }
            if (_keys[i] == key)
                return ref _counts[i];
            i = (i + 1) & _mask;
        }
    }

    void Grow()
    {
        var oldKeys = _keys;
        var oldCounts = _counts;
        var oldStamps = _stamps;
        var oldGen = _generation;
        var size = oldKeys.Length * 2;
        _keys = new UInt128[size];
        _counts = new int[size];
        _stamps = new int[size];
        _mask = size - 1;
        _generation = 1;
        _used = 0;
        for (var i = 0; i < oldKeys.Length; i++)
            if (oldStamps[i] == oldGen)
                Slot(oldKeys[i], create: true) = oldCounts[i];
    }
}
