// Python str semantics IFEval relies on (strip, split, isupper, islower, \w) so verdicts match Google's code.
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.IfEval;

public static class PyText
{
    /// <summary>Python's \w for str patterns: letters, numbers and underscore (no combining marks, unlike .NET's \w).</summary>
    public const string Word = @"[\p{L}\p{N}_]";

    static readonly Regex WordRun = new(Word + "+", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || (c >= '\x1c' && c <= '\x1f');

    public static string Strip(string s)
    {
        int start = 0, end = s.Length;
        while (start < end && IsSpace(s[start])) start++;
        while (end > start && IsSpace(s[end - 1])) end--;
        return s[start..end];
    }

    public static string Strip(string s, char c) => s.Trim(c);

    /// <summary>Python's str.split() with no separator: runs of whitespace, no empty pieces.</summary>
    public static string[] SplitWhitespace(string s)
    {
        var parts = new List<string>();
        int i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && IsSpace(s[i])) i++;
            int start = i;
            while (i < s.Length && !IsSpace(s[i])) i++;
            if (i > start) parts.Add(s[start..i]);
        }
        return [.. parts];
    }

    /// <summary>Python's str.isupper(): at least one cased character and none lowercase or titlecase.</summary>
    public static bool IsUpper(string s) => CaseTest(s, upper: true);

    /// <summary>Python's str.islower(): at least one cased character and none uppercase or titlecase.</summary>
    public static bool IsLower(string s) => CaseTest(s, upper: false);

    static bool CaseTest(string s, bool upper)
    {
        bool cased = false;
        foreach (var rune in s.EnumerateRunes())
        {
            var cat = Rune.GetUnicodeCategory(rune);
            if (cat == UnicodeCategory.TitlecaseLetter) return false;
            if (cat == UnicodeCategory.UppercaseLetter) { if (!upper) return false; cased = true; }
            else if (cat == UnicodeCategory.LowercaseLetter) { if (upper) return false; cased = true; }
        }
        return cased;
    }

    /// <summary>nltk's RegexpTokenizer(r"\w+") word count, used by length_constraints:number_words.</summary>
    public static int CountWords(string s) => WordRun.Count(s);
}
