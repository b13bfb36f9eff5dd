// TER (Snover et al. 2006) as sacrebleu computes it: Tercom tokenisation options, shifts, best of several references.
using Pharos.Eval.Metrics.Tokenizers;
using Pharos.Eval.Metrics.Text;

namespace Pharos.Eval.Metrics;

public sealed class Ter : Metric
{
    readonly TokenizerTercom _tokenizer;

    /// <param name="normalized">Tercom normalisation (punctuation split, XML entities; CJK splitting with asianSupport).</param>
    /// <param name="noPunct">Remove punctuation (CJK punctuation too with asianSupport).</param>
    /// <param name="caseSensitive">Keep case (TER lowercases by default).</param>
    public Ter(bool normalized = false, bool noPunct = false, bool asianSupport = false, bool caseSensitive = false)
    {
        Normalized = normalized;
        NoPunct = noPunct;
        AsianSupport = asianSupport;
        CaseSensitive = caseSensitive;
        _tokenizer = new TokenizerTercom(normalized, noPunct, asianSupport, caseSensitive);
    }

    public bool Normalized { get; }
    public bool NoPunct { get; }
    public bool AsianSupport { get; }
    public bool CaseSensitive { get; }

    public override string Name => "TER";

    public override int StatCount => 2;

    public override bool LowerIsBetter => true;

    public override MetricSignature Signature(int nrefs) => new MetricSignature(nrefs)
        .Add("case", "c", CaseSensitive ? "mixed" : "lc")
        .Add("tok", "t", _tokenizer.Signature)
        .Add("norm", "nr", Normalized)
        .Add("punct", "pn", !NoPunct)
        .Add("asian", "as", AsianSupport);

    public override MetricScore ScoreFromStatistics(ReadOnlySpan<double> totals, bool numpyFloat32 = false)
    {
        double edits = totals[0], refLength = totals[1];
        double score;
        if (refLength > 0)
            // sacrebleu's bootstrap divides float32 sums (a float32 quotient), then scales by 100 in float64.
            score = numpyFloat32 ? (float)edits / (float)refLength : edits / refLength;
        else if (edits > 0)
            score = 1.0;
        else
            score = 0.0;
        return new TerScore(100 * score, edits, refLength);
    }

    internal override SegmentScorer CreateScorer() => new Scorer(this);

    sealed class Scorer(Ter ter) : SegmentScorer
    {
        readonly Vocabulary _vocab = new();
        readonly List<int> _ids = [];
        readonly TerAligner _aligner = new();

        public override void Score(string hypothesis, string[] references, Span<double> stats)
        {
            var hyp = Words(hypothesis);
            var refLengths = 0;
            var best = long.MaxValue;
            foreach (var reference in references)
            {
                var (edits, refLength) = _aligner.EditRate(hyp, Words(reference));
                refLengths += refLength;
                if (edits < best)
                    best = edits;
            }
            stats[0] = best;
            stats[1] = (double)refLengths / references.Length;
        }

        int[] Words(string sentence)
        {
            _vocab.SplitToIds(ter._tokenizer.Tokenize(PythonText.RStrip(sentence)), _ids);
            return [.. _ids];
        }
    }
}
