// spaCy's rule-based tokenizer for one language: whitespace split, special cases, prefixes, suffixes, infixes, token and URL match.
//
// Implemented from spaCy's documented algorithm (spacy.io "How spaCy's tokenizer works") and checked against token lists
// that spaCy itself produced (tests/Pharos.Curation.Tests/Fixtures/tokenizers): per whitespace-separated span, a special
// case wins whole; otherwise prefixes and suffixes are peeled one at a time (a token match or a special case stops the
// peeling, and a special case left after removing one affix is kept whole), then the rest is a special case, a token/URL
// match, or is cut at its infixes. A last pass over the tokens applies special cases that contain affixes (":)", "a.m.")
// where the peeling split them. datatrove then strips every token and drops the empty ones (whitespace tokens).
using System.Buffers;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Pharos.Curation.Text.SpaCy;

public sealed class SpacyTokenizer : IWordTokenizer
{
    readonly AlternationMatcher? _prefix, _suffix, _infix, _tokenMatch;
    readonly Regex? _urlMatch;
    readonly Dictionary<string, string[]> _rules;
    readonly Dictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> _ruleLookup;
    // Special cases the last pass looks for: the first token of the case tokenized without special cases → (tokens, key).
    readonly Dictionary<string, List<(string[] Tokens, string Key)>> _matcherRules = new(StringComparer.Ordinal);
    readonly Sentencizer _sentencizer = new();
    // Each whitespace-separated span's tokens (offsets within the span), as spaCy caches them: the same span always splits
    // the same way. Bounded, like spaCy's cache; the last pass over special cases runs on the whole document every time.
    readonly ConcurrentDictionary<string, (int Start, int Length)[]> _spanCache = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, (int Start, int Length)[]>.AlternateLookup<ReadOnlySpan<char>> _spanLookup;
    const int MaxCachedSpans = 200_000;
    // The cache's size, counted here: ConcurrentDictionary.Count takes every lock of the dictionary.
    int _cachedSpans;

    // Shortcuts that skip a regex where it cannot match (see SpacyData): the code points a suffix can end with, and whether
    // a URL needs a "." (spaCy's URL_PATTERN does: an IP address or a host name with a top-level domain).
    readonly CodePointSet? _suffixLast;
    readonly bool _urlNeedsDot;
    // The UTF-16 units of which a token match needs one (surrogates always count: the set is told in code points); null
    // when unknown. French's token_match, a pattern of 1.4 MB, needs a hyphen or an apostrophe.
    readonly SearchValues<char>? _tokenMatchNeeds;

    internal SpacyTokenizer(string language, AlternationMatcher? prefix, AlternationMatcher? suffix, AlternationMatcher? infix, AlternationMatcher? tokenMatch, Regex? urlMatch,
        Dictionary<string, string[]> rules, bool fasterHeuristics, CodePointSet? suffixLast = null, bool urlNeedsDot = false,
        CodePointSet? tokenMatchNeeds = null)
    {
        (_suffixLast, _urlNeedsDot) = (suffixLast, urlNeedsDot);
        if (tokenMatchNeeds is not null)
            _tokenMatchNeeds = tokenMatchNeeds.Utf16Units();
        Name = $"spacy:{language}";
        (_prefix, _suffix, _infix, _tokenMatch, _urlMatch) = (prefix, suffix, infix, tokenMatch, urlMatch);
        _rules = rules;
        _ruleLookup = rules.GetAlternateLookup<ReadOnlySpan<char>>();
        _spanLookup = _spanCache.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var key in rules.Keys.Order(StringComparer.Ordinal))
        {
            if (fasterHeuristics && FindPrefix(key, 0, key.Length) == 0 && FindSuffix(key, 0, key.Length) == 0 && !HasInfix(key) && !key.Contains(' '))
                continue;
            var pieces = new List<(int, int)>();
            Segment(key, pieces, withSpecialCases: false);
            var tokens = pieces.Select(p => key.Substring(p.Item1, p.Item2)).ToArray();
            if (tokens.Length == 0)
                continue;
            if (!_matcherRules.TryGetValue(tokens[0], out var list))
                _matcherRules[tokens[0]] = list = [];
            list.Add((tokens, key));
        }
    }

    public string Name { get; }

    /// <summary>datatrove's word_tokenize: spaCy's tokens, each stripped, empty ones dropped.</summary>
    public void Tokenize(string text, List<(int Start, int Length)> words)
    {
        var tokens = new List<(int Start, int Length)>();
        Segment(text, tokens, withSpecialCases: true);
        if (_matcherRules.Count > 0)
            ApplySpecialCases(text, tokens);
        foreach (var (start, length) in tokens)
        {
            var trimmed = PyText.Strip(text.AsSpan(start, length));
            if (trimmed.IsEmpty)
                continue;
            var offset = start;
            while (PyText.IsSpace(text[offset])) offset++;
            words.Add((offset, trimmed.Length));
        }
    }

    /// <summary>The number of sentences spaCy's sentencizer finds in <paramref name="text"/> (datatrove's split_into_sentences).</summary>
    public int CountSentences(string text)
    {
        var tokens = new List<(int Start, int Length)>();
        Segment(text, tokens, withSpecialCases: true);
        if (_matcherRules.Count > 0)
            ApplySpecialCases(text, tokens);
        return _sentencizer.Count(text, tokens);
    }

    // Splits at whitespace as spaCy does: runs of non-space and of space characters alternate; one ' ' after a token is that
    // token's trailing space, any other whitespace run is a token of its own.
    void Segment(string text, List<(int Start, int Length)> tokens, bool withSpecialCases)
    {
        if (text.Length == 0)
            return;
        var start = 0;
        var inSpace = IsSpaceAt(text, 0);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsLowSurrogate(text[i]) && i > 0 && char.IsHighSurrogate(text[i - 1]))
                continue;
            if (IsSpaceAt(text, i) == inSpace)
                continue;
            if (start < i)
                CachedSpan(text, start, i - start, tokens, withSpecialCases);
            start = text[i] == ' ' ? i + 1 : i;
            inSpace = !inSpace;
        }
        if (start < text.Length)
            CachedSpan(text, start, text.Length - start, tokens, withSpecialCases);
    }

    void CachedSpan(string text, int start, int length, List<(int Start, int Length)> tokens, bool withSpecialCases)
    {
        if (!withSpecialCases)
        {
            TokenizeSpan(text, start, length, tokens, withSpecialCases);
            return;
        }
        if (_spanLookup.TryGetValue(text.AsSpan(start, length), out var cached))
        {
            foreach (var (s, l) in cached)
                tokens.Add((start + s, l));
            return;
        }
        var first = tokens.Count;
        TokenizeSpan(text, start, length, tokens, withSpecialCases);
        if (Volatile.Read(ref _cachedSpans) >= MaxCachedSpans)
            return;
        var pieces = new (int Start, int Length)[tokens.Count - first];
        for (var t = 0; t < pieces.Length; t++)
            pieces[t] = (tokens[first + t].Start - start, tokens[first + t].Length);
        if (_spanCache.TryAdd(text.Substring(start, length), pieces))
            Interlocked.Increment(ref _cachedSpans);
    }

    static bool IsSpaceAt(string text, int i) => PyText.IsSpace(text[i]);

    void TokenizeSpan(string text, int start, int length, List<(int Start, int Length)> tokens, bool withSpecialCases)
    {
        if (withSpecialCases && AddSpecial(text, start, length, tokens))
            return;
        var suffixes = new List<(int Start, int Length)>();
        var end = start + length;
        // Peel affixes until the span stops shrinking.
        var lastSize = -1;
        while (end > start && end - start != lastSize)
        {
            if (IsTokenMatch(text, start, end - start))
                break;
            if (withSpecialCases && IsSpecial(text, start, end - start))
                break;
            lastSize = end - start;
            var pre = FindPrefix(text, start, end - start);
            if (pre > 0 && withSpecialCases && end - start - pre > 0 && IsSpecial(text, start + pre, end - start - pre))
            {
                tokens.Add((start, pre));
                start += pre;
                break;
            }
            var suf = FindSuffix(text, start + pre, end - start - pre);
            if (suf > 0 && withSpecialCases && end - start - suf > 0 && IsSpecial(text, start, end - start - suf))
            {
                suffixes.Add((end - suf, suf));
                end -= suf;
                break;
            }
            if (pre > 0 && suf > 0 && pre + suf <= end - start)
            {
                tokens.Add((start, pre));
                suffixes.Add((end - suf, suf));
                start += pre;
                end -= suf;
            }
            else if (pre > 0)
            {
                tokens.Add((start, pre));
                start += pre;
            }
            else if (suf > 0)
            {
                suffixes.Add((end - suf, suf));
                end -= suf;
            }
        }
        if (end > start)
            AttachCore(text, start, end - start, tokens, withSpecialCases);
        for (var s = suffixes.Count - 1; s >= 0; s--)
            tokens.Add(suffixes[s]);
    }

    // What is left after the affixes: a special case, a token or URL match, or pieces cut at the infixes.
    void AttachCore(string text, int start, int length, List<(int Start, int Length)> tokens, bool withSpecialCases)
    {
        if (withSpecialCases && AddSpecial(text, start, length, tokens))
            return;
        if (IsTokenMatch(text, start, length) || (_urlMatch is not null && (!_urlNeedsDot || text.AsSpan(start, length).Contains('.'))
            && MatchesAtStart(_urlMatch, text, start, length)))
        {
            tokens.Add((start, length));
            return;
        }
        var at = start;
        var end = start + length;
        if (_infix is not null)
        {
            var piece = text.AsSpan(start, length);
            for (var from = 0; _infix.Match(piece, from, out var index, out var matched); from = NextScan(index, matched))
            {
                var found = start + index;
                if (SplitsAPair(text, found) || SplitsAPair(text, found + matched))
                    continue;
                // An infix at the very start of the piece is not a split point.
                if (found == start)
                    continue;
                if (found != at)
                    tokens.Add((at, found - at));
                if (matched > 0)
                    tokens.Add((found, matched));
                at = found + matched;
            }
        }
        if (end > at)
            tokens.Add((at, end - at));
    }

    bool AddSpecial(string text, int start, int length, List<(int Start, int Length)> tokens)
    {
        if (!_ruleLookup.TryGetValue(text.AsSpan(start, length), out var pieces))
            return false;
        foreach (var piece in pieces)
        {
            tokens.Add((start, piece.Length));
            start += piece.Length;
        }
        return true;
    }

    bool IsSpecial(string text, int start, int length) => _ruleLookup.ContainsKey(text.AsSpan(start, length));

    bool IsTokenMatch(string text, int start, int length) => _tokenMatch is not null
        && (_tokenMatchNeeds is null || text.AsSpan(start, length).ContainsAny(_tokenMatchNeeds))
        && _tokenMatch.MatchesAt(text.AsSpan(start, length), 0);

    // Python's pattern.match: anchored at the start of the piece (the regex begins with \G, see SpacyData), not
    // necessarily to its end.
    static bool MatchesAtStart(Regex regex, string text, int start, int length) => regex.IsMatch(text.AsSpan(start, length));

    int FindPrefix(string text, int start, int length)
    {
        if (_prefix is null || length == 0)
            return 0;
        return _prefix.Match(text.AsSpan(start, length), 0, out _, out var matched) ? matched : 0;
    }

    // Where Match.NextMatch scans next: after the match, or one further after an empty one (past the end: nothing more).
    static int NextScan(int index, int length) => length > 0 ? index + length : index + 1;

    int FindSuffix(string text, int start, int length)
    {
        if (_suffix is null || length == 0)
            return 0;
        // $ also matches before a final "\n", where the match does not end with the last code point.
        if (_suffixLast is not null && text[start + length - 1] != '\n')
        {
            var last = text[start + length - 1];
            var cp = char.IsLowSurrogate(last) && length > 1 && char.IsHighSurrogate(text[start + length - 2])
                ? char.ConvertToUtf32(text[start + length - 2], last) : last;
            if (!_suffixLast.Contains(cp))
                return 0;
        }
        var piece = text.AsSpan(start, length);
        for (var from = 0; _suffix.Match(piece, from, out var index, out var matched); from = NextScan(index, matched))
            if (!SplitsAPair(text, start + index))
                return matched;
        return 0;
    }

    bool HasInfix(string key) => _infix is not null && _infix.Match(key, 0, out _, out _);

    static bool SplitsAPair(string text, int i) => i > 0 && i < text.Length && char.IsLowSurrogate(text[i]) && char.IsHighSurrogate(text[i - 1]);

    // spaCy's last pass: find every run of tokens equal to a special case's affix tokenization, keep the longest
    // (then leftmost) non-overlapping ones, and replace a run by the case's own pieces when its text is the case's key.
    void ApplySpecialCases(string text, List<(int Start, int Length)> tokens)
    {
        List<(int Start, int End)>? matches = null;
        var lookup = _matcherRules.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!lookup.TryGetValue(text.AsSpan(tokens[i].Start, tokens[i].Length), out var candidates))
                continue;
            foreach (var (pattern, _) in candidates)
            {
                if (i + pattern.Length > tokens.Count)
                    continue;
                var equal = true;
                for (var k = 1; k < pattern.Length && equal; k++)
                    equal = text.AsSpan(tokens[i + k].Start, tokens[i + k].Length).SequenceEqual(pattern[k]);
                if (equal)
                    (matches ??= []).Add((i, i + pattern.Length));
            }
        }
        if (matches is null)
            return;
        var seen = new HashSet<int>();
        var kept = new List<(int Start, int End)>();
        foreach (var m in matches.Distinct().OrderByDescending(m => m.End - m.Start).ThenBy(m => m.Start))
        {
            if (!seen.Contains(m.Start) && !seen.Contains(m.End - 1))
                kept.Add(m);
            for (var t = m.Start; t < m.End; t++)
                seen.Add(t);
        }
        kept.Sort((a, b) => a.Start.CompareTo(b.Start));
        var result = new List<(int Start, int Length)>(tokens.Count);
        var next = 0;
        foreach (var (start, end) in kept)
        {
            if (start < next)
                continue; // overlaps a case already applied
            for (; next < start; next++)
                result.Add(tokens[next]);
            var from = tokens[start].Start;
            var to = tokens[end - 1].Start + tokens[end - 1].Length;
            if (_ruleLookup.TryGetValue(text.AsSpan(from, to - from), out var pieces))
            {
                foreach (var piece in pieces)
                {
                    result.Add((from, piece.Length));
                    from += piece.Length;
                }
            }
            else
                for (var t = start; t < end; t++)
                    result.Add(tokens[t]);
            next = end;
        }
        for (; next < tokens.Count; next++)
            result.Add(tokens[next]);
        tokens.Clear();
        tokens.AddRange(result);
    }
}
