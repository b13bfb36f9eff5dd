// Finds the matches of a translated Python alternation (spaCy's prefix, suffix and infix rules) exactly where .NET's scan of the whole pattern finds them, trying at each position only the alternatives that can start with the code point there.
//
// A backtracking scan tries the positions from left to right and, at each, the alternatives in order; the first alternative
// that matches there gives the match. Trying the alternatives one by one, each anchored with \G on the same text, finds
// the same match. The speed comes from skipping: an alternative whose first code point (from its shape) is not the one at
// the position cannot match there, one anchored at the start cannot match later, one behind a lookbehind cannot match
// after a code point its lookbehind cannot end with, and literal alternatives are compared without a regex.
using System.Buffers;
using System.Text.RegularExpressions;

namespace Pharos.Curation.Text.SpaCy;

internal sealed class AlternationMatcher
{
    readonly Alternative[] _alternatives;
    readonly int[][] _lists;                           // candidate alternatives per list id, in pattern order
    readonly ushort[] _byUnit = new ushort[0x10000];  // list id per BMP code point (surrogate units: the anywhere list)
    readonly (int Lo, int Hi, ushort List)[] _astral; // list ids of code point ranges above U+FFFF, sorted
    readonly ushort _anywhere;                         // list id of the alternatives that can start with anything (or match empty)
    readonly bool _onlyAtStart;

    AlternationMatcher(Alternative[] alternatives)
    {
        _alternatives = alternatives;
        _onlyAtStart = alternatives.All(a => a.AnchoredStart);
        (_lists, _anywhere, _astral) = BuildLists(alternatives, _byUnit);
    }

    /// <summary>The matcher for a Python pattern with flags, as <see cref="PythonRegex.Translate"/> would compile it.</summary>
    public static AlternationMatcher Create(PythonRegex translator, string pattern, int flags)
    {
        var (shapes, options) = translator.TranslateAlternatives(pattern, flags);
        // Alternatives compiled apart would number their groups apart: a backreference keeps the pattern whole.
        if (shapes.Any(s => s.HasBackreference))
            return new AlternationMatcher([new Alternative(string.Join('|', shapes.Select(s => s.Net)), options, null, false, false, null, null)]);
        var caseless = (options & RegexOptions.IgnoreCase) != 0;
        return new AlternationMatcher([.. shapes.Select(s => new Alternative(s.Net, options, caseless ? null : s.Literal, s.AnchoredStart, s.AnchoredEnd, s.First, s.Before,
            s.Required is { Count: <= MaxNeeded } required ? required.Utf16Units() : null))]);
    }

    // A required set larger than this (a class of letters) is found in nearly every piece: not worth looking for.
    const int MaxNeeded = 4096;

    /// <summary>How many alternatives are tried at every position (their first code point is unknown); for the benchmark's report.</summary>
    public int AnywhereCount => _lists[_anywhere].Length;

    /// <summary>
    /// The first match at or after <paramref name="startAt"/> in <paramref name="input"/> (the whole text for ^, $ and
    /// lookbehinds), as Regex.EnumerateMatches(input, startAt) of the whole pattern returns it first.
    /// </summary>
    public bool Match(ReadOnlySpan<char> input, int startAt, out int index, out int length)
    {
        var end = _onlyAtStart ? Math.Min(0, input.Length) : input.Length;
        for (var p = startAt; p <= end; p++)
        {
            foreach (var i in _lists[p < input.Length ? ListAt(input, p) : _anywhere])
            {
                if (_alternatives[i].TryAt(input, p, out length))
                {
                    index = p;
                    return true;
                }
            }
        }
        (index, length) = (-1, 0);
        return false;
    }

    /// <summary>Whether a match starts at <paramref name="p"/> (Python's pattern.match when p is 0).</summary>
    public bool MatchesAt(ReadOnlySpan<char> input, int p)
    {
        foreach (var i in _lists[p < input.Length ? ListAt(input, p) : _anywhere])
            if (_alternatives[i].TryAt(input, p, out _))
                return true;
        return false;
    }

    ushort ListAt(ReadOnlySpan<char> input, int p)
    {
        var c = input[p];
        if (!char.IsHighSurrogate(c) || p + 1 >= input.Length || !char.IsLowSurrogate(input[p + 1]))
            return _byUnit[c];
        var cp = char.ConvertToUtf32(c, input[p + 1]);
        int lo = 0, hi = _astral.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (cp < _astral[mid].Lo) hi = mid - 1;
            else if (cp > _astral[mid].Hi) lo = mid + 1;
            else return _astral[mid].List;
        }
        return _anywhere;
    }

    // Sweeps the alternatives' first code point ranges into segments; each segment's list is the alternatives active there
    // plus those that can start anywhere, in pattern order. Equal lists share an id.
    static (int[][] Lists, ushort Anywhere, (int, int, ushort)[] Astral) BuildLists(Alternative[] alternatives, ushort[] byUnit)
    {
        var events = new List<(int At, int Alternative, bool Opens)>();
        for (var i = 0; i < alternatives.Length; i++)
            foreach (var (lo, hi) in alternatives[i].First?.Ranges ?? [])
            {
                events.Add((lo, i, true));
                events.Add((hi + 1, i, false));
            }
        events.Sort((a, b) => a.At.CompareTo(b.At));
        var lists = new List<int[]>();
        var ids = new Dictionary<string, ushort>();
        ushort Intern(bool[] active)
        {
            var list = Enumerable.Range(0, alternatives.Length).Where(i => active[i] || alternatives[i].First is null).ToArray();
            var key = string.Join(',', list);
            if (!ids.TryGetValue(key, out var id))
            {
                if (lists.Count > ushort.MaxValue)
                    throw new InvalidOperationException("too many distinct alternative lists");
                ids[key] = id = (ushort)lists.Count;
                lists.Add(list);
            }
            return id;
        }
        var active = new bool[alternatives.Length];
        var anywhere = Intern(active);
        Array.Fill(byUnit, anywhere);
        var astral = new List<(int, int, ushort)>();
        for (var e = 0; e < events.Count;)
        {
            var at = events[e].At;
            // One alternative's ranges are disjoint and never adjacent (CodePointSet merges them): at most one event each here.
            for (; e < events.Count && events[e].At == at; e++)
                active[events[e].Alternative] = events[e].Opens;
            var next = e < events.Count ? events[e].At : CodePointSet.MaxCodePoint + 1;
            var id = Intern(active);
            if (id == anywhere)
                continue;
            if (at <= 0xFFFF)
                Array.Fill(byUnit, id, at, Math.Min(next, 0x10000) - at);
            if (next > 0x10000)
                astral.Add((Math.Max(at, 0x10000), next - 1, id));
        }
        return ([.. lists], anywhere, [.. astral]);
    }

    // needs: UTF-16 units of which a match holds one (Portuguese's infix \w+-\w+ needs a "-"), so that an alternative is
    // not run at a position with none of them after it; null when unknown or not worth it.
    sealed class Alternative(string net, RegexOptions options, string? literal, bool anchoredStart, bool anchoredEnd, CodePointSet? first, CodePointSet? before,
        SearchValues<char>? needs = null)
    {
        Regex? _regex;

        public bool AnchoredStart => anchoredStart;
        public CodePointSet? First => first;

        public bool TryAt(ReadOnlySpan<char> input, int p, out int length)
        {
            length = 0;
            if (anchoredStart && p != 0)
                return false;
            if (before is not null && (p == 0 || !before.Contains(CodePointBefore(input, p))))
                return false;
            if (needs is not null && !input[p..].ContainsAny(needs))
                return false;
            if (literal is not null)
            {
                if (!input[p..].StartsWith(literal, StringComparison.Ordinal))
                    return false;
                var end = p + literal.Length;
                // $ matches at the end, or before a "\n" that ends the text.
                if (anchoredEnd && end != input.Length && (end != input.Length - 1 || input[end] != '\n'))
                    return false;
                length = literal.Length;
                return true;
            }
            _regex ??= new Regex(@"\G(?:" + net + ")", options);
            foreach (var m in _regex.EnumerateMatches(input, p))
            {
                length = m.Length;
                return true;
            }
            return false;
        }

        static int CodePointBefore(ReadOnlySpan<char> input, int p)
        {
            var c = input[p - 1];
            return char.IsLowSurrogate(c) && p > 1 && char.IsHighSurrogate(input[p - 2]) ? char.ConvertToUtf32(input[p - 2], c) : c;
        }
    }
}
