// BLEU as sacrebleu computes it: tokenizer, lowercase, smoothing (exp, floor, add-k, none), effective order, several references.
using Pharos.Eval.Errors;
using Pharos.Eval.Metrics.Text;
using Pharos.Eval.Metrics.Tokenizers;

namespace Pharos.Eval.Metrics;

public sealed class Bleu : Metric
{
    public const int MaxSupportedOrder = 4;

    readonly ITokenizer _tokenizer;

    /// <param name="tokenize">13a (default), intl, zh, char or none.</param>
    /// <param name="smoothMethod">exp (default), floor (value 0.1), add-k (value 1) or none — Chen &amp; Cherry (2014).</param>
    /// <param name="smoothValue">For floor and add-k; null takes the method's default.</param>
    /// <param name="effectiveOrder">Stop at the highest order with matches; sacrebleu turns it on for sentence BLEU.</param>
    public Bleu(string tokenize = "13a", string smoothMethod = "exp", double? smoothValue = null, bool lowercase = false,
        bool effectiveOrder = false, int maxNgramOrder = 4)
    {
        if (smoothMethod is not ("exp" or "floor" or "add-k" or "none"))
            throw new InvalidInputException($"unknown smoothing method '{smoothMethod}' (supported: exp, floor, add-k, none)");
        if (maxNgramOrder is < 1 or > MaxSupportedOrder)
            throw new InvalidInputException($"BLEU n-gram order must be 1..{MaxSupportedOrder}, got {maxNgramOrder}");
        _tokenizer = TokenizerFactory.Create(tokenize);
        SmoothMethod = smoothMethod;
        SmoothValue = smoothValue;
        Lowercase = lowercase;
        EffectiveOrder = effectiveOrder;
        MaxNgramOrder = maxNgramOrder;
    }

    public string SmoothMethod { get; }
    public double? SmoothValue { get; }
    public bool Lowercase { get; }
    public bool EffectiveOrder { get; }
    public int MaxNgramOrder { get; }
    public string TokenizerName => _tokenizer.Signature;

    public override string Name => "BLEU";

    public override int StatCount => 2 + 2 * MaxNgramOrder;

    static double? DefaultSmoothValue(string method) => method switch { "floor" => 0.1, "add-k" => 1, _ => null };

    public override MetricSignature Signature(int nrefs)
    {
        var smooth = SmoothMethod;
        if (DefaultSmoothValue(SmoothMethod) is { } def)
            smooth += $"[{PythonFormat.Fixed(SmoothValue ?? def, 2)}]";
        return new MetricSignature(nrefs)
            .Add("case", "c", Lowercase ? "lc" : "mixed")
            .Add("eff", "e", EffectiveOrder)
            .Add("tok", "tok", _tokenizer.Signature)
            .Add("smooth", "s", smooth);
    }

    internal string Preprocess(string sentence)
    {
        if (Lowercase)
            sentence = PythonText.Lower(sentence);
        return _tokenizer.Tokenize(PythonText.RStrip(sentence));
    }

    public override MetricScore ScoreFromStatistics(ReadOnlySpan<double> totals, bool numpyFloat32 = false)
    {
        // float32 sums of integer counts are exact and sacrebleu's arithmetic on them is float64: nothing to emulate.
        var order = MaxNgramOrder;
        var correct = totals.Slice(2, order).ToArray();
        var total = totals.Slice(2 + order, order).ToArray();
        return Compute(correct, total, (long)totals[0], (long)totals[1]);
    }

    /// <summary>sacrebleu's BLEU.compute_bleu, step for step (the order of floating-point operations included).</summary>
    BleuScore Compute(double[] correct, double[] total, long sysLen, long refLen)
    {
        var bp = 1.0;
        if (sysLen < refLen)
            bp = sysLen > 0 ? Math.Exp(1 - (double)refLen / sysLen) : 0.0;
        var precisions = new double[MaxNgramOrder];
        if (correct.All(c => c == 0))
            return new BleuScore(0.0, correct, total, precisions, bp, sysLen, refLen);

        var smoothValue = SmoothValue ?? DefaultSmoothValue(SmoothMethod) ?? 0;
        var smoothMteval = 1.0;
        var effOrder = MaxNgramOrder;
        for (var n = 1; n <= precisions.Length; n++)
        {
            if (SmoothMethod == "add-k" && n > 1)
            {
                correct[n - 1] += smoothValue;
                total[n - 1] += smoothValue;
            }
            if (total[n - 1] == 0)
                break;
            if (EffectiveOrder)
                effOrder = n;
            if (correct[n - 1] == 0)
            {
                if (SmoothMethod == "exp")
                {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100.0 / (smoothMteval * total[n - 1]);
                }
                else if (SmoothMethod == "floor")
                    precisions[n - 1] = 100.0 * smoothValue / total[n - 1];
            }
            else
                precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
        }
        var logSum = 0.0;
        for (var i = 0; i < effOrder; i++)
            logSum += precisions[i] == 0.0 ? -9999999999 : Math.Log(precisions[i]);
        var score = bp * Math.Exp(logSum / effOrder);
        return new BleuScore(score, correct, total, precisions, bp, sysLen, refLen);
    }

    internal override SegmentScorer CreateScorer() => new Scorer(this);

    sealed class Scorer(Bleu bleu) : SegmentScorer
    {
        readonly Vocabulary _vocab = new();
        readonly List<int> _ids = [];
        readonly List<int> _hyp = [];
        readonly NGramTable _refCounts = new();
        readonly NGramTable _oneRef = new();

        public override void Score(string hypothesis, string[] references, Span<double> stats)
        {
            var order = bleu.MaxNgramOrder;
            stats.Clear();
            _refCounts.Clear(64);
            var refLenBest = -1;
            var closestDiff = -1;
            // The hypothesis length is needed to pick the closest reference length; tokenize it first.
            var hypTokens = bleu.Preprocess(hypothesis);
            _vocab.SplitToIds(hypTokens, _hyp);
            var hypLen = _hyp.Count;

            for (var r = 0; r < references.Length; r++)
            {
                _vocab.SplitToIds(bleu.Preprocess(references[r]), _ids);
                var refLen = _ids.Count;
                var diff = Math.Abs(hypLen - refLen);
                if (closestDiff == -1 || diff < closestDiff)
                {
                    closestDiff = diff;
                    refLenBest = refLen;
                }
                else if (diff == closestDiff && refLen < refLenBest)
                    refLenBest = refLen;

                if (references.Length == 1)
                    AddNgrams(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_ids), order, _refCounts);
                else
                {
                    // Several references: each n-gram counts as often as in the reference where it is most frequent.
                    _oneRef.Clear(_ids.Count * order);
                    AddNgrams(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_ids), order, _oneRef);
                    for (var slot = 0; slot < _oneRef.Capacity; slot++)
                        if (_oneRef.IsLive(slot))
                            _refCounts.Max(_oneRef.KeyAt(slot), _oneRef.CountAt(slot));
                }
            }

            var hypIds = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_hyp);
            stats[0] = hypLen;
            stats[1] = refLenBest;
            for (var n = 1; n <= order; n++)
            {
                var count = hypLen - n + 1;
                if (count <= 0)
                    continue;
                var matched = 0;
                for (var i = 0; i < count; i++)
                    if (_refCounts.TryTake(Key(hypIds, i, n)))
                        matched++;
                stats[2 + n - 1] = matched;
                stats[2 + order + n - 1] = count;
            }
        }

        static void AddNgrams(ReadOnlySpan<int> ids, int order, NGramTable table)
        {
            for (var n = 1; n <= order; n++)
                for (var i = 0; i + n <= ids.Length; i++)
                    table.Add(Key(ids, i, n));
        }

        static UInt128 Key(ReadOnlySpan<int> ids, int start, int n)
        {
            UInt128 key = 0;
            for (var k = 0; k < n; k++)
                key |= (UInt128)(uint)ids[start + k] << (32 * k);
            return key;
        }
    }
}
