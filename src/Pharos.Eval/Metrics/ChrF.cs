// chrF (Popović 2015) and chrF++ (2017) as sacrebleu computes them: character 1..6-grams, optional word 1..2-grams, β = 2.
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
        readonly List<int> _hypChars = [];
        readonly List<int> _refChars = [];
        readonly List<int> _hypWords = [];
        readonly List<int> _refWords = [];
        readonly Vocabulary _vocab = new();
        readonly NGramTable _table = new();
        readonly double[] _current = new double[3 * (MaxCharOrder + MaxWordOrder)];

        public override void Score(string hypothesis, string[] references, Span<double> stats)
        {
            var width = chrf.StatCount;
            if (chrf.Lowercase)
                hypothesis = PythonText.Lower(hypothesis);
            CodePoints(hypothesis, chrf.Whitespace, _hypChars);
            if (chrf.WordOrder > 0)
                Words(hypothesis, _hypWords);
            var best = -1.0;
            stats.Clear();
            var current = _current.AsSpan(0, width);
            foreach (var reference0 in references)
            {
                var reference = chrf.Lowercase ? PythonText.Lower(reference0) : reference0;
                CodePoints(reference, chrf.Whitespace, _refChars);
                current.Clear();
                MatchAllOrders(_hypChars, _refChars, chrf.CharOrder, 21, current);
                if (chrf.WordOrder > 0)
                {
                    Words(reference, _refWords);
                    MatchAllOrders(_hypWords, _refWords, chrf.WordOrder, 32, current[(3 * chrf.CharOrder)..]);
                }
                var f = chrf.FScore(current);
                if (f > best)
                {
                    best = f;
                    current.CopyTo(stats);
                }
            }
        }

        UInt128[] _hypKeys = new UInt128[256];
        UInt128[] _refKeys = new UInt128[256];

        // Per order n: [hyp n-grams (0 when the reference has none), ref n-grams, matches = Σ min(hyp count, ref count)].
        // Keys grow in place from order n-1 to n (one shift per position), so every order costs O(length).
        void MatchAllOrders(List<int> hypUnits, List<int> refUnits, int maxOrder, int bits, Span<double> outStats)
        {
            var hyp = CollectionsMarshal.AsSpan(hypUnits);
            var reference = CollectionsMarshal.AsSpan(refUnits);
            if (_hypKeys.Length < hyp.Length)
                _hypKeys = new UInt128[Math.Max(hyp.Length, _hypKeys.Length * 2)];
            if (_refKeys.Length < reference.Length)
                _refKeys = new UInt128[Math.Max(reference.Length, _refKeys.Length * 2)];
            var hk = _hypKeys.AsSpan(0, hyp.Length);
            var rk = _refKeys.AsSpan(0, reference.Length);
            hk.Clear();
            rk.Clear();
            for (var n = 1; n <= maxOrder; n++)
            {
                var shift = bits * (n - 1);
                var refCount = Math.Max(0, reference.Length - n + 1);
                var hypCount = Math.Max(0, hyp.Length - n + 1);
                for (var i = 0; i < refCount; i++)
                    rk[i] |= (UInt128)(uint)reference[i + n - 1] << shift;
                for (var i = 0; i < hypCount; i++)
                    hk[i] |= (UInt128)(uint)hyp[i + n - 1] << shift;
                var matches = 0;
                if (refCount > 0 && hypCount > 0)
                {
                    _table.Clear(refCount);
                    for (var i = 0; i < refCount; i++)
                        _table.Add(rk[i]);
                    for (var i = 0; i < hypCount; i++)
                        if (_table.TryTake(hk[i]))
                            matches++;
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
