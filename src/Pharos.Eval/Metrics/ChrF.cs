// chrF (Popović 2015) and chrF++ (2017) as sacrebleu computes them: character 1..6-grams, optional word 1..2-grams, β = 2.
using System.Numerics;
using System.Runtime.InteropServices;
using Pharos.Eval.Errors;
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Metrics;

public sealed class ChrF : Metric
{
    // Character n-grams are packed as 21-bit code points (6 × 21 = 126 bits); word n-grams as 32-bit ids.
    public const int MaxCharOrder = 6;
    public const int MaxWordOrder = 4;

    /// <param name="charOrder">Character n-gram order (6).</param>
    /// <param name="wordOrder">Word n-gram order: 0 for chrF, 2 for chrF++.</param>
    /// <param name="beta">Weight of recall over precision (2).</param>
    /// <param name="whitespace">Keep whitespace inside character n-grams.</param>
    /// <param name="epsSmoothing">chrF++.py/Moses/NLTK epsilon smoothing instead of sacrebleu's effective order.</param>
    public ChrF(int charOrder = 6, int wordOrder = 0, int beta = 2, bool lowercase = false, bool whitespace = false, bool epsSmoothing = false)
    {
        if (charOrder is < 1 or > MaxCharOrder)
            throw new InvalidInputException($"chrF character order must be 1..{MaxCharOrder}, got {charOrder}");
        if (wordOrder is < 0 or > MaxWordOrder)
            throw new InvalidInputException($"chrF word order must be 0..{MaxWordOrder}, got {wordOrder}");
        CharOrder = charOrder;
        WordOrder = wordOrder;
        Beta = beta;
        Lowercase = lowercase;
        Whitespace = whitespace;
        EpsSmoothing = epsSmoothing;
    }

    public int CharOrder { get; }
    public int WordOrder { get; }
    public int Beta { get; }
    public bool Lowercase { get; }
    public bool Whitespace { get; }
    public bool EpsSmoothing { get; }

    public override string Name => $"chrF{Beta}" + new string('+', WordOrder);

    public override int StatCount => 3 * (CharOrder + WordOrder);

    public override MetricSignature Signature(int nrefs) => new MetricSignature(nrefs)
        .Add("case", "c", Lowercase ? "lc" : "mixed")
        .Add("eff", "e", !EpsSmoothing)
        .Add("nc", "nc", CharOrder.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Add("nw", "nw", WordOrder.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Add("space", "s", Whitespace);

    public override MetricScore ScoreFromStatistics(ReadOnlySpan<double> totals, bool numpyFloat32 = false) =>
        new ChrFScore(FScore(totals, numpyFloat32), CharOrder, WordOrder, Beta);

    /// <summary>
    /// sacrebleu's CHRF._compute_f_score. With `numpyFloat32` the per-order precision and recall are float32
    /// quotients, as numpy 1.x computes them from the float32 statistics sacrebleu's bootstrap resamples.
    /// </summary>
    internal double FScore(ReadOnlySpan<double> s, bool numpyFloat32 = false)
    {
        const double eps = 1e-16;
        var score = 0.0;
        var effectiveOrder = 0;
        var factor = Beta * Beta;
        double avgPrec = 0.0, avgRec = 0.0;
        var order = CharOrder + WordOrder;
        for (var i = 0; i < order; i++)
        {
            double nHyp = s[3 * i], nRef = s[3 * i + 1], nMatch = s[3 * i + 2];
            var prec = nHyp > 0 ? Divide(nMatch, nHyp, numpyFloat32) : eps;
            var rec = nRef > 0 ? Divide(nMatch, nRef, numpyFloat32) : eps;
            var denom = factor * prec + rec;
            score += denom > 0 ? (1 + factor) * prec * rec / denom : eps;
            if (nHyp > 0 && nRef > 0)
            {
                avgPrec += prec;
                avgRec += rec;
                effectiveOrder++;
            }
        }
        if (EpsSmoothing)
            return 100 * score / order;
        if (effectiveOrder == 0)
            avgPrec = avgRec = 0.0;
        else
        {
            avgPrec /= effectiveOrder;
            avgRec /= effectiveOrder;
        }
        if (avgPrec + avgRec != 0)
        {
            score = (1 + factor) * avgPrec * avgRec;
            score /= (factor * avgPrec) + avgRec;
            return 100 * score;
        }
        return 0.0;
    }

    static double Divide(double a, double b, bool float32) => float32 ? (float)a / (float)b : a / b;

    internal override SegmentScorer CreateScorer() => new Scorer(this);

    // chrF++'s word splitter: one leading or trailing ASCII punctuation mark is split off (string.punctuation).
    static bool IsPunct(char c) => c is (>= '!' and <= '/') or (>= ':' and <= '@') or (>= '[' and <= '`') or (>= '{' and <= '~');

    sealed class Scorer(ChrF chrf) : SegmentScorer
    {
        // Characters of one segment pair get small local ids (10 bits: 6 orders fit a 64-bit key); a pair with
        // more than 1023 distinct characters falls back to 21-bit code points in 128-bit keys.
        const int LocalIdBits = 10;
        const int MaxLocalIds = (1 << LocalIdBits) - 1;

        readonly List<int> _hypChars = [];
        readonly List<int> _refChars = [];
        readonly List<int> _hypWords = [];
        readonly List<int> _refWords = [];
        readonly Vocabulary _vocab = new();
        readonly Dictionary<int, int> _localIds = [];
        readonly NGramTable<ulong> _table64 = new();
        readonly NGramTable<UInt128> _table128 = new();
        readonly double[] _current = new double[3 * (MaxCharOrder + MaxWordOrder)];
        ulong[] _hypKeys64 = new ulong[256], _refKeys64 = new ulong[256];
        UInt128[] _hypKeys128 = new UInt128[256], _refKeys128 = new UInt128[256];

        public override void Score(string hypothesis, string[] references, Span<double> stats)
        {
            _vocab.BeginSegment();
            var width = chrf.StatCount;
            if (chrf.Lowercase)
                hypothesis = PythonText.Lower(hypothesis);
            if (chrf.WordOrder > 0)
                Words(hypothesis, _hypWords);
            // One id space per segment: hypothesis and every reference share it.
            NewLocalIdSpace();
            var hypLocalOk = MapChars(hypothesis, ref _hypLocal, out var hypLen);
            var hypCodePointsReady = false;
            var best = -1.0;
            stats.Clear();
            var current = _current.AsSpan(0, width);
            foreach (var reference0 in references)
            {
                var reference = chrf.Lowercase ? PythonText.Lower(reference0) : reference0;
                current.Clear();
                if (hypLocalOk && MapChars(reference, ref _refLocal, out var refLen))
                    MatchAllOrders(_hypLocal.AsSpan(0, hypLen), _refLocal.AsSpan(0, refLen), chrf.CharOrder, LocalIdBits, current, _table64, ref _hypKeys64, ref _refKeys64);
                else
                {
                    hypLocalOk = false;
                    if (!hypCodePointsReady)
                    {
                        CodePoints(hypothesis, chrf.Whitespace, _hypChars);
                        hypCodePointsReady = true;
                    }
                    CodePoints(reference, chrf.Whitespace, _refChars);
                    MatchAllOrders(CollectionsMarshal.AsSpan(_hypChars), CollectionsMarshal.AsSpan(_refChars), chrf.CharOrder, 21, current, _table128, ref _hypKeys128, ref _refKeys128);
                }
                if (chrf.WordOrder > 0)
                {
                    Words(reference, _refWords);
                    var hw = CollectionsMarshal.AsSpan(_hypWords);
                    var rw = CollectionsMarshal.AsSpan(_refWords);
                    var words = current[(3 * chrf.CharOrder)..];
                    if (chrf.WordOrder <= 2)
                        MatchAllOrders(hw, rw, chrf.WordOrder, 32, words, _table64, ref _hypKeys64, ref _refKeys64);
                    else
                        MatchAllOrders(hw, rw, chrf.WordOrder, 32, words, _table128, ref _hypKeys128, ref _refKeys128);
                }
                var f = chrf.FScore(current);
                if (f > best)
                {
                    best = f;
                    current.CopyTo(stats);
                }
            }
        }

        int[] _hypLocal = new int[256];
        int[] _refLocal = new int[256];

        // Direct-mapped ids for the common scripts (below U+3000); a dictionary for the rest.
        const int DirectLimit = 0x3000;
        readonly int[] _directIds = new int[DirectLimit + 1];
        readonly int[] _directStamps = new int[DirectLimit + 1];
        int _stamp;
        int _nextId;

        void NewLocalIdSpace()
        {
            _localIds.Clear();
            _nextId = 0;
            if (++_stamp == int.MaxValue)
            {
                Array.Clear(_directStamps);
                _stamp = 1;
            }
        }

        // The characters of `s` (whitespace dropped unless kept) as local ids; false when the id space is full.
        bool MapChars(string s, ref int[] buffer, out int length)
        {
            if (buffer.Length < s.Length)
                buffer = new int[Math.Max(s.Length, buffer.Length * 2)];
            var n = 0;
            var keep = chrf.Whitespace;
            for (var i = 0; i < s.Length; i++)
            {
                int unit = s[i];
                if (!keep && PythonText.IsSpace((char)unit))
                    continue;
                if (char.IsHighSurrogate((char)unit) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    unit = char.ConvertToUtf32((char)unit, s[++i]);
                int id;
                if (unit < DirectLimit)
                {
                    if (_directStamps[unit] == _stamp)
                        id = _directIds[unit];
                    else
                    {
                        if (_nextId == MaxLocalIds)
                        {
                            length = 0;
                            return false;
                        }
                        _directStamps[unit] = _stamp;
                        _directIds[unit] = id = ++_nextId;
                    }
                }
                else if (!_localIds.TryGetValue(unit, out id))
                {
                    if (_nextId == MaxLocalIds)
                    {
                        length = 0;
                        return false;
                    }
                    _localIds[unit] = id = ++_nextId;
                }
                buffer[n++] = id;
            }
            length = n;
            return true;
        }

        // Per order n: [hyp n-grams (0 when the reference has none), ref n-grams, matches = Σ min(hyp count, ref count)].
        // Keys grow in place from order n-1 to n (one shift per position), so every order costs O(length).
        static void MatchAllOrders<TKey>(ReadOnlySpan<int> hyp, ReadOnlySpan<int> reference, int maxOrder, int bits, Span<double> outStats,
            NGramTable<TKey> table, ref TKey[] hypKeys, ref TKey[] refKeys)
            where TKey : unmanaged, IEquatable<TKey>, IBitwiseOperators<TKey, TKey, TKey>, IShiftOperators<TKey, int, TKey>
        {
            if (hypKeys.Length < hyp.Length)
                hypKeys = new TKey[Math.Max(hyp.Length, hypKeys.Length * 2)];
            if (refKeys.Length < reference.Length)
                refKeys = new TKey[Math.Max(reference.Length, refKeys.Length * 2)];
            var hk = hypKeys.AsSpan(0, hyp.Length);
            var rk = refKeys.AsSpan(0, reference.Length);
            hk.Clear();
            rk.Clear();
            Span<bool> alive = hyp.Length <= 1024 ? stackalloc bool[hyp.Length] : new bool[hyp.Length];
            alive.Fill(true);
            for (var n = 1; n <= maxOrder; n++)
            {
                var shift = bits * (n - 1);
                var refCount = Math.Max(0, reference.Length - n + 1);
                var hypCount = Math.Max(0, hyp.Length - n + 1);
                for (var i = 0; i < refCount; i++)
                    rk[i] |= NGramKeys.Lane<TKey>(reference[i + n - 1]) << shift;
                for (var i = 0; i < hypCount; i++)
                    hk[i] |= NGramKeys.Lane<TKey>(hyp[i + n - 1]) << shift;
                var matches = 0;
                if (refCount > 0 && hypCount > 0)
                {
                    table.Clear(refCount);
                    for (var i = 0; i < refCount; i++)
                        table.Add(rk[i]);
                    // An n-gram whose (n-1)-gram prefix is absent from the reference is absent too: no probe needed.
                    for (var i = 0; i < hypCount; i++)
                    {
                        if (!alive[i])
                            continue;
                        var taken = table.TryTake(hk[i], out var present);
                        if (taken)
                            matches++;
                        alive[i] = present;
                    }
                }
                var o = outStats.Slice(3 * (n - 1), 3);
                o[0] = refCount > 0 ? hypCount : 0;
                o[1] = refCount;
                o[2] = matches;
            }
        }

        // Code points + 1 (0 marks an empty lane), whitespace dropped unless kept by the option.
        static void CodePoints(string s, bool keepWhitespace, List<int> output)
        {
            output.Clear();
            for (var i = 0; i < s.Length; i++)
            {
                var c = s[i];
                if (!keepWhitespace && PythonText.IsSpace(c))
                    continue;
                if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    output.Add(char.ConvertToUtf32(c, s[++i]) + 1);
                    continue;
                }
                output.Add(c + 1);
            }
        }
        void Words(string s, List<int> output)
        {
            output.Clear();
            var span = s.AsSpan();
            var i = 0;
            while (i < span.Length)
            {
                while (i < span.Length && PythonText.IsSpace(span[i]))
                    i++;
                var start = i;
                while (i < span.Length && !PythonText.IsSpace(span[i]))
                    i++;
                if (i == start)
                    continue;
                var w = span[start..i];
                // Python's len(w) == 1 counts code points: one astral character is one character.
                var single = w.Length == 1 || (w.Length == 2 && char.IsSurrogatePair(w[0], w[1]));
                if (single)
                    output.Add(_vocab.Id(w));
                else if (IsPunct(w[^1]))
                {
                    output.Add(_vocab.Id(w[..^1]));
                    output.Add(_vocab.Id(w[^1..]));
                }
                else if (IsPunct(w[0]))
                {
                    output.Add(_vocab.Id(w[..1]));
                    output.Add(_vocab.Id(w[1..]));
                }
                else
                    output.Add(_vocab.Id(w));
            }
        }
    }
}
