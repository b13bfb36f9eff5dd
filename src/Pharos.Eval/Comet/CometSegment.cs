// One item to score: the source, the translation (COMET's "mt") and, for reference-based models, the reference.
namespace Pharos.Eval.Comet;

public sealed record CometSegment(string Source, string Translation, string? Reference = null);

/// <summary>Segment scores in input order and their mean (COMET's system score).</summary>
public sealed record CometPrediction(IReadOnlyList<double> Scores, double SystemScore)
{
    public static CometPrediction From(IReadOnlyList<double> scores) =>
        new(scores, scores.Count == 0 ? 0 : scores.Sum() / scores.Count);
}
