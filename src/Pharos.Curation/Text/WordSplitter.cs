// Splits text into words for every script: whitespace/punctuation for spaced scripts, a per-character rule for scripts without spaces.
//
// datatrove uses a language's NLTK/spaCy tokenizer; we cannot load those, so this is our documented rule, shaped like them:
// - Words are maximal runs of letters, marks and digits. An apostrophe, hyphen or '.'/',' between two such characters
//   stays inside ("l'homme", "well-known", "3.14", "1,000"), as in spaCy's infix rules.
// - Every other non-space character is its own token (punctuation and symbols are words, as in NLTK/spaCy, so the
//   Gopher "symbol word" logic sees them); a run of the same punctuation character is one token ("...", "!!").
// - Han ideographs are one word each (character unigrams; no dictionary segmenter like jieba is available).
// - Hiragana runs and Katakana runs are one word each (kana boundaries approximate Japanese morphemes).
// - Thai, Lao, Khmer, Myanmar and Tibetan are split into grapheme clusters (base letter + its combining marks).
// - Hangul is written with spaces and follows the general rule.
namespace Pharos.Curation.Text;

public static class WordSplitter
{
    /// <summary>Appends the (start, length) of every word of <paramref name="text"/> to <paramref name="words"/>.</summary>
    public static void Split(ReadOnlySpan<char> text, List<(int Start, int Length)> words)
    {
        var i = 0;
        while (i < text.Length)
        {
            var cp = CodePoint(text, i, out var width);
            if (IsSpace(cp))
            {
                i += width;
                continue;
            }
            var start = i;
            var kind = Classify(cp);
            i += width;
            switch (kind)
            {
                case CharKind.Han:
                    break;
                case CharKind.Hiragana or CharKind.Katakana:
                    while (i < text.Length && Classify(CodePoint(text, i, out width)) == kind)
                        i += width;
                    break;
                case CharKind.Cluster:
                    while (i < text.Length && IsMark(CodePoint(text, i, out width)))
                        i += width;
                    break;
                case CharKind.Word:
                    while (i < text.Length)
                    {
                        var next = CodePoint(text, i, out width);
                        var nextKind = Classify(next);
                        if (nextKind == CharKind.Word)
                            i += width;
                        else if (IsJoiner(next) && i + width < text.Length && JoinsAt(text, i, next, width))
                            i += width;
                        else
                            break;
                    }
                    break;
                default:
                    while (i < text.Length && CodePoint(text, i, out width) == cp)
                        i += width;
                    break;
            }
            words.Add((start, i - start));
        }
    }

    /// <summary>The words as strings (tests, calibration, MinHash shingles).</summary>
    public static List<string> SplitToStrings(string text)
    {
        var ranges = new List<(int, int)>();
        Split(text, ranges);
        return ranges.ConvertAll(r => text.Substring(r.Item1, r.Item2));
    }

    enum CharKind { Word, Han, Hiragana, Katakana, Cluster, Other }

    static CharKind Classify(int cp)
    {
        if (cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x3134F or >= 0xF900 and <= 0xFAFF or 0x3005 or 0x3007)
            return CharKind.Han;
        if (cp is >= 0x3041 and <= 0x309F)
            return CharKind.Hiragana;
        if (cp is >= 0x30A0 and <= 0x30FF or >= 0x31F0 and <= 0x31FF or >= 0xFF66 and <= 0xFF9F)
            return CharKind.Katakana;
        if (cp is >= 0x0E00 and <= 0x0EFF or >= 0x1780 and <= 0x17FF or >= 0x1000 and <= 0x109F or >= 0x0F00 and <= 0x0FFF)
            return IsMark(cp) ? CharKind.Word : CharKind.Cluster;
        var category = cp < 0x10000 ? char.GetUnicodeCategory((char)cp) : System.Globalization.CharUnicodeInfo.GetUnicodeCategory(cp);
        return category switch
        {
            >= System.Globalization.UnicodeCategory.UppercaseLetter and <= System.Globalization.UnicodeCategory.EnclosingMark => CharKind.Word,
            System.Globalization.UnicodeCategory.DecimalDigitNumber or System.Globalization.UnicodeCategory.LetterNumber
                or System.Globalization.UnicodeCategory.OtherNumber => CharKind.Word,
            System.Globalization.UnicodeCategory.Format when cp is 0x200C or 0x200D => CharKind.Word, // ZWNJ/ZWJ inside Indic and Persian words
            _ => CharKind.Other,
        };
    }

    static bool IsMark(int cp)
    {
        var category = System.Globalization.CharUnicodeInfo.GetUnicodeCategory(cp);
        return category is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark
            or System.Globalization.UnicodeCategory.EnclosingMark;
    }

    static bool IsJoiner(int cp) => cp is '\'' or '\u2019' or '-' or '.' or ',' or '\u00B7';

    // '.' and ',' join digits only ("3.14", "1,000"); "end.Next" stays two words. Apostrophes, hyphens and the
    // middle dot join any word characters.
    static bool JoinsAt(ReadOnlySpan<char> text, int i, int joiner, int width)
    {
        var next = CodePoint(text, i + width, out _);
        if (Classify(next) != CharKind.Word)
            return false;
        if (joiner is '.' or ',')
            return char.IsDigit(text[i - 1]) && next < 0x10000 && char.IsDigit((char)next);
        return true;
    }

    static bool IsSpace(int cp) => cp < 0x10000 && char.IsWhiteSpace((char)cp);

    internal static int CodePoint(ReadOnlySpan<char> text, int i, out int width)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            width = 2;
            return char.ConvertToUtf32(c, text[i + 1]);
        }
        width = 1;
        return c;
    }
}
