// Normalises text before MinHash shingling, as datatrove's simplify_text: lowercase, digits → 0, punctuation → space, one space, no diacritics.
using System.Globalization;
using System.Text;

namespace Pharos.Curation.Text;

public static class TextSimplifier
{
    public static string Simplify(string text)
    {
        var lower = text.ToLowerInvariant();
        var sb = new StringBuilder(lower.Length);
        var pendingSpace = false;
        for (var i = 0; i < lower.Length; i++)
        {
            var cp = WordSplitter.CodePoint(lower, i, out var width);
            var category = CharUnicodeInfo.GetUnicodeCategory(cp);
            if (category == UnicodeCategory.DecimalDigitNumber)
            {
                // datatrove: \p{Nd}+([.,،٫⎖⎗⎘]\p{Nd}+)? → "0": a number with one decimal part is one zero.
                var j = i + width;
                while (j < lower.Length && char.IsDigit(lower[j])) j++;
                if (j + 1 < lower.Length && lower[j] is '.' or ',' or '،' or '٫' or '⎖' or '⎗' or '⎘' && char.IsDigit(lower[j + 1]))
                {
                    j++;
                    while (j < lower.Length && char.IsDigit(lower[j])) j++;
                }
                Append(sb, "0", ref pendingSpace);
                i = j - 1;
                continue;
            }
            if (Punctuation.IsPunctuation(cp) || (cp < 0x10000 && PyText.IsSpace((char)cp)))
            {
                pendingSpace = sb.Length > 0;
                i += width - 1;
                continue;
            }
            Append(sb, lower.AsSpan(i, width), ref pendingSpace);
            i += width - 1;
        }
        // NFD, then drop combining marks (Mn): "é" → "e".
        var decomposed = sb.ToString().Normalize(NormalizationForm.FormD);
        var result = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                result.Append(c);
        return result.ToString().Trim();
    }

    static void Append(StringBuilder sb, ReadOnlySpan<char> s, ref bool pendingSpace)
    {
        if (pendingSpace)
            sb.Append(' ');
        pendingSpace = false;
        sb.Append(s);
    }
}
