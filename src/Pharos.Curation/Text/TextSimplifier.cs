// datatrove's simplify_text before MinHash shingling: Python lower(), numbers → "0", PUNCTUATION → space, whitespace runs → one space, no Mn marks.
using System.Globalization;
using System.Text;

namespace Pharos.Curation.Text;

public static class TextSimplifier
{
    public static string Simplify(string text)
    {
        var lower = PyLower.Lower(text);
        var sb = new StringBuilder(lower.Length);
        var pendingSpace = false;
        for (var i = 0; i < lower.Length;)
        {
            var cp = WordSplitter.CodePoint(lower, i, out var width);
            if (IsDigit(cp))
            {
                // \p{Nd}+([.,،٫⎖⎗⎘]\p{Nd}+)? → "0", before punctuation is removed: "3.14" is one zero.
                var j = SkipDigits(lower, i);
                if (j < lower.Length && lower[j] is '.' or ',' or '،' or '٫' or '⎖' or '⎗' or '⎘' && j + 1 < lower.Length
                    && IsDigit(WordSplitter.CodePoint(lower, j + 1, out _)))
                    j = SkipDigits(lower, j + 1);
                Append(sb, "0", ref pendingSpace);
                i = j;
                continue;
            }
            // translate(PUNCTUATION → " "), then strip() and \s+ → " ": a run of both is one space, none at the ends.
            if (Punctuation.Translated.Contains(cp) || (cp < 0x10000 && PyText.IsSpace((char)cp)))
                pendingSpace = sb.Length > 0;
            else
                Append(sb, lower.AsSpan(i, width), ref pendingSpace);
            i += width;
        }
        // NFD, then drop non-spacing marks (Mn): "é" → "e"; then strip() again.
        var decomposed = sb.ToString().Normalize(NormalizationForm.FormD);
        var result = new StringBuilder(decomposed.Length);
        for (var i = 0; i < decomposed.Length;)
        {
            var cp = WordSplitter.CodePoint(decomposed, i, out var width);
            if (CharUnicodeInfo.GetUnicodeCategory(cp) != UnicodeCategory.NonSpacingMark)
                result.Append(decomposed, i, width);
            i += width;
        }
        return PyText.Strip(result.ToString()).ToString();
    }

    static bool IsDigit(int cp) => CharUnicodeInfo.GetUnicodeCategory(cp) == UnicodeCategory.DecimalDigitNumber;

    static int SkipDigits(string s, int i)
    {
        while (i < s.Length && IsDigit(WordSplitter.CodePoint(s, i, out var width)))
            i += width;
        return i;
    }

    static void Append(StringBuilder sb, ReadOnlySpan<char> s, ref bool pendingSpace)
    {
        if (pendingSpace)
            sb.Append(' ');
        pendingSpace = false;
        sb.Append(s);
    }
}
