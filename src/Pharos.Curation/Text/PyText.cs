// Python's str.splitlines() and str.strip() semantics, which datatrove's filters are defined with.
namespace Pharos.Curation.Text;

public static class PyText
{
    /// <summary>Python str.splitlines(): splits on \n \r \r\n \v \f \x1c \x1d \x1e \x85 \u2028 \u2029; no trailing empty line.</summary>
    public static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029')
            {
                lines.Add(text[start..i]);
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    i++;
                start = i + 1;
            }
        }
        if (start < text.Length)
            lines.Add(text[start..]);
        return lines;
    }

    /// <summary>Python str.isspace() per character, which str.strip() uses.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is '\x1c' or '\x1d' or '\x1e' or '\x1f';

    public static ReadOnlySpan<char> Strip(ReadOnlySpan<char> s)
    {
        int a = 0, b = s.Length;
        while (a < b && IsSpace(s[a])) a++;
        while (b > a && IsSpace(s[b - 1])) b--;
        return s[a..b];
    }

    /// <summary>Python's str.isalpha() for one code point: letters (Lu, Ll, Lt, Lm, Lo).</summary>
    public static bool IsAlpha(int cp)
    {
        var cat = System.Globalization.CharUnicodeInfo.GetUnicodeCategory(cp);
        return cat <= System.Globalization.UnicodeCategory.OtherLetter;
    }
}
