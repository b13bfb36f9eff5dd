// numpy's legacy RandomState(seed) (MT19937) and its randint for uint64: how datatrove draws its MinHash permutation constants.
namespace Pharos.Curation.Dedup;

public sealed class NumpyRandomState
{
    const int N = 624, M = 397;
    readonly uint[] _mt = new uint[N];
    int _index;

    /// <summary>RandomState(seed) for an integer seed in [0, 2^32): MT19937's init_genrand.</summary>
    public NumpyRandomState(uint seed)
    {
        _mt[0] = seed;
        for (var i = 1; i < N; i++)
            _mt[i] = unchecked(1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30)) + (uint)i);
        _index = N;
    }

    public uint NextUInt32()
    {
        if (_index >= N)
            Twist();
        var y = _mt[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>Two 32-bit draws, the first as the high word (numpy's mt19937_next64).</summary>
    public ulong NextUInt64()
    {
        ulong high = NextUInt32();
        return high << 32 | NextUInt32();
    }

    /// <summary>
    /// randint(low, high, size=count, dtype=np.uint64) of the legacy RandomState: values in [low, high), each drawn by masked
    /// rejection (draw, AND with the smallest all-ones mask covering high−1−low, retry while above it).
    /// </summary>
    public ulong[] RandIntUInt64(ulong low, ulong high, int count)
    {
        var range = high - 1 - low;
        var mask = range;
        for (var shift = 1; shift < 64; shift <<= 1)
            mask |= mask >> shift;
        var values = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            if (range == 0)
            {
                values[i] = low;
                continue;
            }
            ulong v;
            if (range <= uint.MaxValue)
                do v = NextUInt32() & mask; while (v > range);
            else
                do v = NextUInt64() & mask; while (v > range);
            values[i] = low + v;
        }
        return values;
    }

    void Twist()
    {
        for (var i = 0; i < N; i++)
        {
            var y = (_mt[i] & 0x80000000u) | (_mt[(i + 1) % N] & 0x7FFFFFFFu);
            _mt[i] = _mt[(i + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908B0DFu : 0u);
        }
        _index = 0;
    }
}
