// Fast lookups over the generated Python Unicode tables: lowercase, Cased, Case_Ignorable and the \p{P}/\p{S}/\p{N} classes of the intl tokenizer.
namespace Pharos.Eval.Metrics.Text;

internal static class UnicodeData
{
    public const byte Punctuation = 1;
    public const byte Symbol = 2;
    public const byte Number = 3;

    // BMP lookups are flat arrays (128 KiB + 64 KiB) so the tokenizers' hot loops never binary-search.
    static readonly char[] LowerBmp = BuildLowerBmp();
    static readonly byte[] KindBmp = BuildKindBmp();

    public static int LowerCodePoint(int cp)
    {
        if (cp < 0x10000)
            return LowerBmp[cp];
        var pairs = UnicodeTables.LowerPairs;
        int lo = 0, hi = pairs.Length / 2 - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            var key = pairs[2 * mid];
            if (key == cp)
                return pairs[2 * mid + 1];
            if (key < cp)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        return cp;
    }

    /// <summary>1 = \p{P}, 2 = \p{S}, 3 = \p{N}, 0 = anything else, as the Python `regex` module classifies the code point.</summary>
    public static byte Kind(int cp) => cp < 0x10000 ? KindBmp[cp] : KindAstral(cp);

    public static bool IsCased(int cp) => InRanges(UnicodeTables.CasedRanges, cp);

    public static bool IsCaseIgnorable(int cp) => InRanges(UnicodeTables.CaseIgnorableRanges, cp);

    static byte KindAstral(int cp)
    {
        var r = UnicodeTables.PunctSymbolNumberRanges;
        int lo = 0, hi = r.Length / 3 - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (cp < r[3 * mid])
                hi = mid - 1;
            else if (cp > r[3 * mid + 1])
                lo = mid + 1;
            else
                return (byte)r[3 * mid + 2];
        }
        return 0;
    }

    static bool InRanges(ReadOnlySpan<int> ranges, int cp)
    {
        int lo = 0, hi = ranges.Length / 2 - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (cp < ranges[2 * mid])
                hi = mid - 1;
            else if (cp > ranges[2 * mid + 1])
                lo = mid + 1;
            else
                return true;
        }
        return false;
    }

    static char[] BuildLowerBmp()
    {
        var table = new char[0x10000];
        for (var i = 0; i < table.Length; i++)
            table[i] = (char)i;
        var pairs = UnicodeTables.LowerPairs;
        for (var i = 0; i < pairs.Length; i += 2)
            if (pairs[i] < 0x10000)
                table[pairs[i]] = (char)pairs[i + 1];
        return table;
    }

    static byte[] BuildKindBmp()
    {
        var table = new byte[0x10000];
        var r = UnicodeTables.PunctSymbolNumberRanges;
        for (var i = 0; i < r.Length; i += 3)
            for (var cp = r[i]; cp <= r[i + 1] && cp < 0x10000; cp++)
                table[cp] = (byte)r[i + 2];
        return table;
    }
}
