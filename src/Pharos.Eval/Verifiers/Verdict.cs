// A verifier's answer: a score in [0,1] and a human-readable reason (what was found, what failed).
namespace Pharos.Eval.Verifiers;

public readonly record struct Verdict(double Score, string Explanation)
{
    /// <summary>True when the constraint is fully met (score 1).</summary>
    public bool Passed => Score >= 1.0;

    public static Verdict Pass(string explanation) => new(1.0, explanation);
    public static Verdict Fail(string explanation) => new(0.0, explanation);
    public static Verdict Of(bool passed, string explanation) => new(passed ? 1.0 : 0.0, explanation);

    /// <summary>Fraction of <paramref name="total"/> checks met; an empty check list passes.</summary>
    public static Verdict Fraction(int met, int total, string explanation) =>
        new(total == 0 ? 1.0 : (double)met / total, explanation);
}
