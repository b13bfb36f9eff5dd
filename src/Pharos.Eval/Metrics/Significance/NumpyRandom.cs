// numpy's default_rng(seed) stream (SeedSequence → PCG64), with the bounded-integer and bool draws sacrebleu's tests use.
namespace Pharos.Eval.Metrics.Significance;

/// <summary>
/// Reproduces <c>numpy.random.default_rng(seed)</c> bit for bit so that paired bootstrap resampling and
/// approximate randomisation draw the same samples as sacrebleu (seed 12345 unless SACREBLEU_SEED says otherwise):
/// SeedSequence's hash mixing, PCG64 (128-bit LCG, XSL-RR output), 32-bit halves served low first,
/// Lemire's bounded integers for <c>choice(n, replace=True)</c> and the bit buffer of <c>integers(2, dtype=bool)</c>.
/// </summary>
public sealed class NumpyRandom
{
    static readonly UInt128 Multiplier = new(2549297995355413924UL, 4865540595714422341UL);

    UInt128 _state;
    readonly UInt128 _increment;
    bool _hasHalf;
    uint _half;

    public NumpyRandom(ulong seed)
    {
        var words = SeedSequenceState(seed, 8);
        ulong W(int i) => words[2 * i] | ((ulong)words[2 * i + 1] << 32);
        var initState = new UInt128(W(0), W(1));
        var initSeq = new UInt128(W(2), W(3));
        _increment = (initSeq << 1) | 1;
        _state = 0;
        Step();
        _state += initState;
        Step();
    }

    void Step() => _state = _state * Multiplier + _increment;

    public ulong NextUInt64()
    {
        Step();
        var hi = (ulong)(_state >> 64);
        var lo = (ulong)_state;
        var rot = (int)(_state >> 122);
        return ulong.RotateRight(hi ^ lo, rot);
    }

    public uint NextUInt32()
    {
        if (_hasHalf)
        {
            _hasHalf = false;
            return _half;
        }
        var next = NextUInt64();
        _hasHalf = true;
        _half = (uint)(next >> 32);
        return (uint)next;
    }

    /// <summary>rng.integers(0, n) for n ≤ 2^32 (also what rng.choice(n, replace=True) draws): Lemire's method.</summary>
    public int NextBelow(int n)
    {
        if (n <= 0)
            throw new ArgumentOutOfRangeException(nameof(n));
        var rng = (uint)(n - 1);
        if (rng == 0)
            return 0;
        var rngExcl = rng + 1;
        var m = (ulong)NextUInt32() * rngExcl;
        var leftover = (uint)m;
        if (leftover < rngExcl)
        {
            var threshold = (uint.MaxValue - rng) % rngExcl;
            while (leftover < threshold)
            {
                m = (ulong)NextUInt32() * rngExcl;
                leftover = (uint)m;
            }
        }
        return (int)(m >> 32);
    }

    /// <summary>rng.choice(n, size=count, replace=True), filling `output` in C order.</summary>
    public void Choice(int n, Span<int> output)
    {
        for (var i = 0; i < output.Length; i++)
            output[i] = NextBelow(n);
    }

    uint _boolBuffer;
    int _boolsLeft;

    /// <summary>
    /// One element of rng.integers(2, size=..., dtype=bool): one 32-bit draw serves 32 booleans, lowest bit
    /// first. The bit buffer lives as long as this generator, like it does across one numpy fill call.
    /// </summary>
    public bool NextBool()
    {
        if (_boolsLeft == 0)
        {
            _boolBuffer = NextUInt32();
            _boolsLeft = 31;
        }
        else
        {
            _boolBuffer >>= 1;
            _boolsLeft--;
        }
        return (_boolBuffer & 1) != 0;
    }

    // numpy.random.SeedSequence(seed).generate_state(words, uint32) with the default pool of four words.
    static uint[] SeedSequenceState(ulong seed, int words)
    {
        const uint InitA = 0x43b0d7e5, MultA = 0x931e8875, InitB = 0x8b51f9dd, MultB = 0x58f38ded;
        const uint MixMultL = 0xca01f9dd, MixMultR = 0x4973f715;
        const int PoolSize = 4;
        // The integer entropy as little-endian 32-bit words (at least one).
        var entropy = seed >> 32 == 0 ? new[] { (uint)seed } : new[] { (uint)seed, (uint)(seed >> 32) };
        var hashConst = InitA;
        uint HashMix(uint value)
        {
            value ^= hashConst;
            hashConst *= MultA;
            value *= hashConst;
            value ^= value >> 16;
            return value;
        }
        static uint Mix(uint x, uint y)
        {
            var result = MixMultL * x - MixMultR * y;
            return result ^ (result >> 16);
        }
        var pool = new uint[PoolSize];
        for (var i = 0; i < PoolSize; i++)
            pool[i] = HashMix(i < entropy.Length ? entropy[i] : 0);
        for (var src = 0; src < PoolSize; src++)
            for (var dst = 0; dst < PoolSize; dst++)
                if (src != dst)
                    pool[dst] = Mix(pool[dst], HashMix(pool[src]));
        for (var src = PoolSize; src < entropy.Length; src++)
            for (var dst = 0; dst < PoolSize; dst++)
                pool[dst] = Mix(pool[dst], HashMix(entropy[src]));

        var state = new uint[words];
        var h = InitB;
        for (var i = 0; i < words; i++)
        {
            var v = pool[i % PoolSize];
            v ^= h;
            h *= MultB;
            v *= h;
            v ^= v >> 16;
            state[i] = v;
        }
        return state;
    }
}
