// A judge's pairwise verdict on answers A and B ([[A>>B]] … [[B>>A]]), and what it is worth to the evaluated model.
using System.Text.RegularExpressions;

namespace Pharos.Eval.Judging;

public enum PairwiseVerdict { AMuchBetter, ABetter, Tie, BBetter, BMuchBetter }

public static partial class PairwiseVerdicts
{
    [GeneratedRegex(@"\[\[\s*([AB])\s*(>>|>|=|<<|<)\s*([AB])\s*\]\]")]
    private static partial Regex Label();

    /// <summary>The last [[X op Y]] label in the judge's text (judges may quote the format before answering), or null.</summary>
    public static PairwiseVerdict? Parse(string? text)
    {
        if (text is null) return null;
        var matches = Label().Matches(text);
        for (int i = matches.Count - 1; i >= 0; i--)
        {
            var m = matches[i];
            string left = m.Groups[1].Value, op = m.Groups[2].Value, right = m.Groups[3].Value;
            if (left == right) continue;
            // Normalise to "A op B": "B<A" is "A>B".
            if (left == "B") op = op switch { ">>" => "<<", ">" => "<", "<<" => ">>", "<" => ">", _ => "=" };
            return op switch
            {
                ">>" => PairwiseVerdict.AMuchBetter,
                ">" => PairwiseVerdict.ABetter,
                "=" => PairwiseVerdict.Tie,
                "<" => PairwiseVerdict.BBetter,
                _ => PairwiseVerdict.BMuchBetter,
            };
        }
        return null;
    }

    /// <summary>Win (1), tie (0.5) or loss (0) for the answer shown in position A (or B).</summary>
    public static double ScoreFor(PairwiseVerdict verdict, bool shownAsA)
    {
        double a = verdict switch
        {
            PairwiseVerdict.AMuchBetter or PairwiseVerdict.ABetter => 1,
            PairwiseVerdict.Tie => 0.5,
            _ => 0,
        };
        return shownAsA ? a : 1 - a;
    }
}
