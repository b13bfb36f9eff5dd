// Python's str.lower(): Python's own lowercase table (Unicode 16, İ → i̇; embedded data) and the final-sigma rule.
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Pharos.Curation.Text;

public static class PyLower
{
    const string Resource = "Pharos.Curation.Languages.Python.python-lower.tsv";
    static readonly FrozenDictionary<int, string> Table = Load();

    public static string Lower(string text)
    {
        var ascii = true;
        foreach (var c in text)
            if (c >= 0x80) { ascii = false; break; }
        if (ascii)
            return text.ToLowerInvariant();
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\u03A3')
            {
                sb.Append(IsFinalSigma(text, i) ? '\u03C2' : '\u03C3');
                continue;
            }
            var cp = CodePointAt(text, i, out var width);
            if (Table.TryGetValue(cp, out var lower))
                sb.Append(lower);
            else
                sb.Append(text, i, width);
            i += width - 1;
        }
        return sb.ToString();
    }

    // Unicode's Final_Sigma: a cased letter before (skipping case-ignorable characters) and none after.
    static bool IsFinalSigma(string text, int at)
    {
        var before = false;
        for (var j = at - 1; j >= 0; j--)
        {
            int cp = text[j];
            if (char.IsLowSurrogate(text[j]) && j > 0 && char.IsHighSurrogate(text[j - 1]))
                cp = char.ConvertToUtf32(text[--j], text[j + 1]);
            if (IsCaseIgnorable(cp))
                continue;
            before = IsCased(cp);
            break;
        }
        if (!before)
            return false;
        for (var k = at + 1; k < text.Length;)
        {
            var cp = CodePointAt(text, k, out var width);
            if (!IsCaseIgnorable(cp))
                return !IsCased(cp);
            k += width;
        }
        return true;
    }

    static FrozenDictionary<int, string> Load()
    {
        using var stream = typeof(PyLower).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"missing embedded resource {Resource}");
        using var reader = new StreamReader(stream);
        var table = new Dictionary<int, string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var f = line.Split('\t');
            table[int.Parse(f[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture)] =
                string.Concat(f[1].Split(' ').Select(h => char.ConvertFromUtf32(int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))));
        }
        return table.ToFrozenDictionary();
    }

    static int CodePointAt(string text, int i, out int width)
    {
        if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            width = 2;
            return char.ConvertToUtf32(text[i], text[i + 1]);
        }
        width = 1;
        return text[i];
    }

    static bool IsCased(int cp) => CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
        or UnicodeCategory.TitlecaseLetter;

    static bool IsCaseIgnorable(int cp) => cp is '\'' or '.' or ':' or '^' or '`' or 0xB7 or 0x2018 or 0x2019 or 0x2024 or 0xFE52 or 0xFF07 or 0xFF0E
        || CharUnicodeInfo.GetUnicodeCategory(cp) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;
}
