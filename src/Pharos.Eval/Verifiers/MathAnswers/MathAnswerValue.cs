// Normalises a math answer string (LaTeX, separators, %, $) and reads it as a number when it is one.
using System.Globalization;
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.MathAnswers;

public static class MathAnswerValue
{
    static readonly Regex Frac = new(@"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", RegexOptions.Compiled);
    static readonly Regex FracShort = new(@"\\[dt]?frac\s*(\d)(\d)", RegexOptions.Compiled);
    static readonly Regex Text = new(@"\\(?:text|textbf|mathrm|mbox)\s*\{([^{}]*)\}", RegexOptions.Compiled);
    static readonly Regex Thousands = new(@"^-?\d{1,3}(,\d{3})+(\.\d+)?$", RegexOptions.Compiled);
    static readonly Regex Fraction = new(@"^(-?\d+(?:\.\d+)?)/(-?\d+(?:\.\d+)?)$", RegexOptions.Compiled);

    /// <summary>Canonical text: LaTeX wrappers, dollars, spaces and a trailing period removed; \dfrac → a/b.</summary>
    public static string Normalize(string answer)
    {
        var s = answer.Trim();
        s = Text.Replace(s, "$1");
        s = s.Replace(@"\left", "").Replace(@"\right", "").Replace(@"\!", "").Replace(@"\,", "").Replace(@"\;", "")
             .Replace(@"\$", "").Replace("$", "").Replace(@"\%", "%").Replace("^\\circ", "").Replace("^{\\circ}", "");
        s = Frac.Replace(s, "($1)/($2)");
        s = FracShort.Replace(s, "$1/$2");
        s = Regex.Replace(s, @"\s+", "");
        s = s.TrimEnd('.');
        // "(3)/(4)" from \frac{3}{4} → "3/4" when both parts are plain numbers.
        s = Regex.Replace(s, @"^(-?)\((-?[\d.]+)\)/\((-?[\d.]+)\)$", "$1$2/$3");
        if (s.StartsWith('(') && s.EndsWith(')') && s.IndexOf(')') == s.Length - 1) s = s[1..^1];
        return s;
    }

    /// <summary>The numeric value, with whether it was written as a percentage; null when not a plain number.</summary>
    public static (double Value, bool Percent)? Parse(string answer)
    {
        var s = Normalize(answer);
        bool percent = s.EndsWith('%');
        if (percent) s = s[..^1];
        if (Thousands.IsMatch(s)) s = s.Replace(",", "");
        var frac = Fraction.Match(s);
        if (frac.Success)
        {
            double num = double.Parse(frac.Groups[1].Value, CultureInfo.InvariantCulture);
            double den = double.Parse(frac.Groups[2].Value, CultureInfo.InvariantCulture);
            return den == 0 ? null : (num / den, percent);
        }
        return double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v)
            ? (v, percent) : null;
    }
}
