// A set of Unicode code points as sorted ranges: Python re's character classes, translated to .NET patterns that match whole code points.
using System.Buffers;
using System.Globalization;
using System.Text;

namespace Pharos.Curation.Text.SpaCy;

internal sealed class CodePointSet
{
    public const int MaxCodePoint = 0x10FFFF;
    readonly List<(int Lo, int Hi)> _ranges;

    CodePointSet(List<(int Lo, int Hi)> ranges) => _ranges = ranges;

    public IReadOnlyList<(int Lo, int Hi)> Ranges => _ranges;

    public static CodePointSet Of(IEnumerable<(int Lo, int Hi)> ranges)
    {
        var sorted = ranges.Where(r => r.Lo <= r.Hi).OrderBy(r => r.Lo).ToList();
        var merged = new List<(int Lo, int Hi)>();
        foreach (var r in sorted)
        {
            if (merged.Count > 0 && r.Lo <= merged[^1].Hi + 1)
                merged[^1] = (merged[^1].Lo, Math.Max(merged[^1].Hi, r.Hi));
            else
                merged.Add(r);
        }
        // Surrogates are never code points of a well-formed string: leaving them out keeps a class from matching half a pair.
        return new CodePointSet(Remove(merged, 0xD800, 0xDFFF));
    }

    public CodePointSet Union(CodePointSet other) => Of(_ranges.Concat(other._ranges));

    public CodePointSet Complement()
    {
        var result = new List<(int, int)>();
        var next = 0;
        foreach (var (lo, hi) in _ranges)
        {
            if (lo > next)
                result.Add((next, lo - 1));
            next = hi + 1;
        }
        if (next <= MaxCodePoint)
            result.Add((next, MaxCodePoint));
        return Of(result);
    }

    public bool Contains(int cp)
    {
        int lo = 0, hi = _ranges.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (cp < _ranges[mid].Lo) hi = mid - 1;
            else if (cp > _ranges[mid].Hi) lo = mid + 1;
            else return true;
        }
        return false;
    }

    /// <summary>How many code points the set holds.</summary>
    public long Count => _ranges.Sum(r => (long)r.Hi - r.Lo + 1);

    /// <summary>
    /// The UTF-16 units a string holding one of these code points contains: the BMP ones, and every surrogate (an astral
    /// code point is told by its pair, which this does not narrow down).
    /// </summary>
    public SearchValues<char> Utf16Units() => SearchValues.Create([
        .. _ranges.Where(r => r.Lo <= 0xFFFF).SelectMany(r => Enumerable.Range(r.Lo, Math.Min(r.Hi, 0xFFFF) - r.Lo + 1)).Select(cp => (char)cp),
        .. Enumerable.Range(0xD800, 0x800).Select(u => (char)u)]);

    static List<(int, int)> Remove(List<(int Lo, int Hi)> ranges, int lo, int hi)
    {
        var result = new List<(int, int)>();
        foreach (var r in ranges)
        {
            if (r.Hi < lo || r.Lo > hi) { result.Add(r); continue; }
            if (r.Lo < lo) result.Add((r.Lo, lo - 1));
            if (r.Hi > hi) result.Add((hi + 1, r.Hi));
        }
        return result;
    }

    /// <summary>A .NET pattern matching one code point of the set: a BMP class, plus surrogate-pair alternatives for the rest.</summary>
    public string ToPattern()
    {
        var bmp = new StringBuilder();
        var astral = new List<string>();
        foreach (var (lo, hi) in _ranges)
        {
            if (lo <= 0xFFFF)
            {
                var top = Math.Min(hi, 0xFFFF);
                bmp.Append(Escape(lo));
                if (top > lo)
                    bmp.Append('-').Append(Escape(top));
            }
            if (hi > 0xFFFF)
                AddAstral(Math.Max(lo, 0x10000), hi, astral);
        }
        var parts = new List<string>();
        if (bmp.Length > 0)
            parts.Add($"[{bmp}]");
        parts.AddRange(astral);
        return parts.Count switch
        {
            0 => "(?!)",
            1 when astral.Count == 0 => parts[0],
            _ => $"(?:{string.Join('|', parts)})",
        };
    }

    // [lo, hi] above the BMP as high-surrogate / low-surrogate-range pairs; whole runs of high surrogates share one class.
    static void AddAstral(int lo, int hi, List<string> parts)
    {
        int hLo = 0xD800 + ((lo - 0x10000) >> 10), hHi = 0xD800 + ((hi - 0x10000) >> 10);
        int lLo = 0xDC00 + ((lo - 0x10000) & 0x3FF), lHi = 0xDC00 + ((hi - 0x10000) & 0x3FF);
        if (hLo == hHi)
        {
            parts.Add($"{Escape(hLo)}{Class(lLo, lHi)}");
            return;
        }
        var firstFull = lLo == 0xDC00 ? hLo : hLo + 1;
        var lastFull = lHi == 0xDFFF ? hHi : hHi - 1;
        if (firstFull != hLo)
            parts.Add($"{Escape(hLo)}{Class(lLo, 0xDFFF)}");
        if (lastFull >= firstFull)
            parts.Add($"{Class(firstFull, lastFull)}{Class(0xDC00, 0xDFFF)}");
        if (lastFull != hHi)
            parts.Add($"{Escape(hHi)}{Class(0xDC00, lHi)}");
    }

    static string Class(int lo, int hi) => lo == hi ? Escape(lo) : $"[{Escape(lo)}-{Escape(hi)}]";

    static string Escape(int unit) => "\\u" + unit.ToString("X4", CultureInfo.InvariantCulture);
}
