// datatrove's punctuation sets (utils/text.py), as data: PUNCTUATION for symbol-only words, TERMINAL_PUNCTUATION for line ends.
using System.Collections.Frozen;

namespace Pharos.Curation.Text;

public static class Punctuation
{
    // Code points are stored as strings because some are outside the BMP (two UTF-16 units).
    static readonly string[] PunctuationPoints =
    [
        "\u0000", "\u0001", "\u0002", "\u0003", "\u0004", "\u0005", "\u0006", "\u0007", "\u0008", "\u000B",
        "\u000C", "\u000D", "\u000E", "\u000F", "\u0010", "\u0011", "\u0012", "\u0013", "\u0014", "\u0015",
        "\u0016", "\u0017", "\u0018", "\u0019", "\u001A", "\u001B", "\u001C", "\u001D", "\u001E", "\u001F",
        "\u0021", "\u0022", "\u0023", "\u0024", "\u0025", "\u0026", "\u0027", "\u0028", "\u0029", "\u002A",
        "\u002B", "\u002C", "\u002D", "\u002E", "\u002F", "\u003A", "\u003B", "\u003C", "\u003D", "\u003E",
        "\u003F", "\u0040", "\u005B", "\u005C", "\u005D", "\u005E", "\u005F", "\u0060", "\u007B", "\u007C",
        "\u007D", "\u007E", "\u007F", "\u0080", "\u0081", "\u0082", "\u0083", "\u0084", "\u0085", "\u0086",
        "\u0087", "\u0088", "\u0089", "\u008A", "\u008B", "\u008C", "\u008D", "\u008E", "\u008F", "\u0090",
        "\u0091", "\u0092", "\u0093", "\u0094", "\u0095", "\u0096", "\u0097", "\u0098", "\u0099", "\u009A",
        "\u009B", "\u009C", "\u009D", "\u009E", "\u009F", "\u00AB", "\u00B4", "\u00BB", "\u2013", "\u2014",
        "\u2019", "\u201C", "\u201D", "\u201E", "\u2026", "\u2236", "\u2501", "\u25BA", "\u3001", "\u3002",
        "\u3008", "\u3009", "\u300A", "\u300B", "\u300C", "\u300D", "\u3010", "\u3011", "\uFF01", "\uFF05",
        "\uFF08", "\uFF09", "\uFF0C", "\uFF0E", "\uFF11", "\uFF1A", "\uFF1B", "\uFF1F", "\uFF5E",
    ];
    static readonly string[] TerminalPoints =
    [
        "\u0021", "\u002E", "\u003F", "\u0589", "\u061D", "\u061E", "\u061F", "\u06D4", "\u0700", "\u0701",
        "\u0702", "\u07F9", "\u0837", "\u0839", "\u083D", "\u083E", "\u0964", "\u0965", "\u104A", "\u104B",
        "\u1362", "\u1367", "\u1368", "\u166E", "\u1735", "\u1736", "\u17D4", "\u17D5", "\u17D6", "\u17D9",
        "\u17DA", "\u1803", "\u1809", "\u1944", "\u1945", "\u1AA8", "\u1AA9", "\u1AAA", "\u1AAB", "\u1B5A",
        "\u1B5B", "\u1B5E", "\u1B5F", "\u1B7D", "\u1B7E", "\u1C3B", "\u1C3C", "\u1C7E", "\u1C7F", "\u203C",
        "\u203D", "\u2047", "\u2048", "\u2049", "\u2E2E", "\u2E3C", "\u2E53", "\u2E54", "\u3002", "\uA4FF",
        "\uA60E", "\uA60F", "\uA6F3", "\uA6F7", "\uA876", "\uA877", "\uA8CE", "\uA8CF", "\uA92F", "\uA9C8",
        "\uA9C9", "\uAA5D", "\uAA5E", "\uAA5F", "\uAAF0", "\uAAF1", "\uABEB", "\uFE52", "\uFE56", "\uFE57",
        "\uFF01", "\uFF0E", "\uFF1F", "\uFF61", "\U00010A56", "\U00010A57", "\U00010F55", "\U00010F56", "\U00010F57", "\U00010F58",
        "\U00010F59", "\U00010F86", "\U00010F87", "\U00010F88", "\U00010F89", "\U00011047", "\U00011048", "\U000110BE", "\U000110BF", "\U000110C0",
        "\U000110C1", "\U00011141", "\U00011142", "\U00011143", "\U000111C5", "\U000111C6", "\U000111CD", "\U000111DE", "\U000111DF", "\U00011238",
        "\U00011239", "\U0001123B", "\U0001123C", "\U000112A9", "\U0001144B", "\U0001144C", "\U000115C2", "\U000115C3", "\U000115C9", "\U000115CA",
        "\U000115CB", "\U000115CC", "\U000115CD", "\U000115CE", "\U000115CF", "\U000115D0", "\U000115D1", "\U000115D2", "\U000115D3", "\U000115D4",
        "\U000115D5", "\U000115D6", "\U000115D7", "\U00011641", "\U00011642", "\U0001173C", "\U0001173D", "\U0001173E", "\U00011944", "\U00011946",
        "\U00011A42", "\U00011A43", "\U00011A9B", "\U00011A9C", "\U00011C41", "\U00011C42", "\U00011EF7", "\U00011EF8", "\U00011F43", "\U00011F44",
        "\U00016A6E", "\U00016A6F", "\U00016AF5", "\U00016B37", "\U00016B38", "\U00016B44", "\U00016E98", "\U0001BC9F", "\U0001DA88",
    ];

    /// <summary>PUNCTUATION ∪ TERMINAL_PUNCTUATION, by code point.</summary>
    public static readonly FrozenSet<int> Set = PunctuationPoints.Concat(TerminalPoints).Select(s => char.ConvertToUtf32(s, 0)).ToFrozenSet();
    /// <summary>PUNCTUATION alone: what simplify_text turns into spaces (terminal marks such as ። । ؟ stay).</summary>
    public static readonly FrozenSet<int> Translated = PunctuationPoints.Select(s => char.ConvertToUtf32(s, 0)).ToFrozenSet();
    public static readonly FrozenSet<int> Terminal = TerminalPoints.Select(s => char.ConvertToUtf32(s, 0)).ToFrozenSet();
    /// <summary>Terminal punctuation as strings, for "line ends with" tests (FineWeb quality's stop_chars).</summary>
    public static readonly string[] TerminalStrings = TerminalPoints;

    public static bool IsPunctuation(int codePoint) => Set.Contains(codePoint);

    /// <summary>True when every code point of <paramref name="word"/> is punctuation (datatrove's "symbol word").</summary>
    public static bool IsSymbolOnly(ReadOnlySpan<char> word)
    {
        for (var i = 0; i < word.Length; i++)
        {
            int cp = word[i];
            if (char.IsHighSurrogate(word[i]) && i + 1 < word.Length)
                cp = char.ConvertToUtf32(word[i], word[++i]);
            if (!Set.Contains(cp))
                return false;
        }
        return true;
    }

    public static bool EndsWithTerminal(ReadOnlySpan<char> line)
    {
        if (line.IsEmpty)
            return false;
        var last = line[^1];
        if (char.IsLowSurrogate(last) && line.Length > 1)
            return Terminal.Contains(char.ConvertToUtf32(line[^2], last));
        return Terminal.Contains(last);
    }
}
