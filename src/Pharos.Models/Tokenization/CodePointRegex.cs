// Runs a Hugging Face (Oniguruma-syntax) split regex with code-point semantics on top of .NET's UTF-16 Regex.
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pharos.Models.Tokenization;

/// <summary>
/// .NET's Regex sees a character outside the BMP as two surrogate chars, so <c>\p{L}</c> misses 𝐀 or 𠀀 and a
/// negated class takes half an emoji, while Hugging Face's Rust regex works on code points. We therefore run the
/// pattern over a copy in which each supplementary code point is replaced by one BMP stand-in of the same Unicode
/// category, and map match positions back. Strings without surrogates (the common case) run unchanged.
/// </summary>
internal sealed class CodePointRegex
{
    readonly Regex _regex;

    public CodePointRegex(string pattern)
    {
        _regex = new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
    }

    public string Pattern => _regex.ToString();

    /// <summary>Non-empty matches as (start, length) in <paramref name="text"/>'s UTF-16 indices.</summary>
    public void Matches(string text, List<(int Start, int Length)> matches)
    {
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            foreach (var m in _regex.EnumerateMatches(text))
                if (m.Length > 0)
                    matches.Add((m.Index, m.Length));
            return;
        }

        var (proxy, offsets) = Substitute(text);
        foreach (var m in _regex.EnumerateMatches(proxy))
        {
            if (m.Length == 0)
                continue;
            var start = offsets[m.Index];
            matches.Add((start, offsets[m.Index + m.Length] - start));
        }
    }

    /// <summary>The proxy string and, for each proxy index (plus the end), the index in the original text.</summary>
    static (string Proxy, int[] Offsets) Substitute(string text)
    {
        var proxy = new StringBuilder(text.Length);
        var offsets = new List<int>(text.Length + 1);
        for (var i = 0; i < text.Length;)
        {
            offsets.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i], text[i + 1]));
                proxy.Append(StandIn[(int)category]);
                i += 2;
            }
            else
            {
                proxy.Append(text[i]);
                i++;
            }
        }
        offsets.Add(text.Length);
        return (proxy.ToString(), offsets.ToArray());
    }

    /// <summary>A BMP character of each general category; none is ASCII, whitespace, or a letter a case-insensitive contraction like 's can match.</summary>
    internal static readonly char[] StandIn = BuildStandIns();

    static char[] BuildStandIns()
    {
        var map = new char[30];
        void Set(UnicodeCategory c, char ch) => map[(int)c] = ch;
        Set(UnicodeCategory.UppercaseLetter, '\u00C0');        // À
        Set(UnicodeCategory.LowercaseLetter, '\u00F8');        // ø
        Set(UnicodeCategory.TitlecaseLetter, '\u01C5');        // ǅ
        Set(UnicodeCategory.ModifierLetter, '\u02B0');         // ʰ
        Set(UnicodeCategory.OtherLetter, '\u00AA');            // ª
        Set(UnicodeCategory.NonSpacingMark, '\u0300');
        Set(UnicodeCategory.SpacingCombiningMark, '\u0903');
        Set(UnicodeCategory.EnclosingMark, '\u20DD');
        Set(UnicodeCategory.DecimalDigitNumber, '\u0660');     // ٠
        Set(UnicodeCategory.LetterNumber, '\u2160');           // Ⅰ
        Set(UnicodeCategory.OtherNumber, '\u00B2');            // ²
        Set(UnicodeCategory.SpaceSeparator, '\u3000');
        Set(UnicodeCategory.LineSeparator, '\u2028');
        Set(UnicodeCategory.ParagraphSeparator, '\u2029');
        Set(UnicodeCategory.Control, '\u0085');
        Set(UnicodeCategory.Format, '\u00AD');
        Set(UnicodeCategory.Surrogate, '\uFFFD');
        Set(UnicodeCategory.PrivateUse, '\uE000');
        Set(UnicodeCategory.ConnectorPunctuation, '\u203F');   // ‿
        Set(UnicodeCategory.DashPunctuation, '\u2010');        // ‐
        Set(UnicodeCategory.OpenPunctuation, '\u2045');        // ⁅
        Set(UnicodeCategory.ClosePunctuation, '\u2046');       // ⁆
        Set(UnicodeCategory.InitialQuotePunctuation, '\u00AB'); // «
        Set(UnicodeCategory.FinalQuotePunctuation, '\u00BB');  // »
        Set(UnicodeCategory.OtherPunctuation, '\u00A1');       // ¡
        Set(UnicodeCategory.MathSymbol, '\u00B1');             // ±
        Set(UnicodeCategory.CurrencySymbol, '\u00A2');         // ¢
        Set(UnicodeCategory.ModifierSymbol, '\u00A8');         // ¨
        Set(UnicodeCategory.OtherSymbol, '\u00A9');            // ©
        Set(UnicodeCategory.OtherNotAssigned, '\u0378');
        return map;
    }
}
