// Builds .NET regexes from IFEval arguments that Google's code splices into Python patterns unescaped.
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.IfEval;

public static class IfEvalRegex
{
    /// <summary>
    /// The argument is used as a pattern, as in Google's code (a keyword like "c++" would fail there too);
    /// when it is not a valid pattern we search for it literally rather than throw mid-evaluation.
    /// </summary>
    public static Regex Pattern(string pattern, bool ignoreCase, string prefix = "", string suffix = "")
    {
        var options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        try { return new Regex(prefix + pattern + suffix, options); }
        catch (ArgumentException) { return new Regex(prefix + Regex.Escape(pattern) + suffix, options); }
    }
}
