// The shape of one alternative of a translated Python pattern: its atoms, and what they tell without running it (where a match can start and end, whether it is a plain literal).
//
// Every set computed here is a superset of what the pattern can do (a code point outside it can never be where the set
// says), or null when the shape does not tell; matchers use them only to skip attempts that could not succeed.
using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Pharos.Curation.Text.SpaCy;

internal enum PatternAtomKind
{
    /// <summary>One code point of <see cref="PatternAtom.Set"/>.</summary>
    Char,
    /// <summary>^ or \A without MULTILINE: the start of the text.</summary>
    Start,
    /// <summary>$ without MULTILINE: the end of the text or just before a final "\n".</summary>
    End,
    /// <summary>A positive lookbehind (?&lt;=…).</summary>
    LookBehind,
    /// <summary>Any other assertion that consumes nothing: lookahead, negative lookbehind, \b, \B, \Z, MULTILINE anchors.</summary>
    ZeroWidth,
    /// <summary>A group (capturing, non-capturing or with scoped flags) over <see cref="PatternAtom.Inner"/>.</summary>
    Group,
    Backreference,
    /// <summary>Something the shape does not describe (a lone surrogate literal).</summary>
    Other,
}

internal sealed record PatternAtom(string Net, PatternAtomKind Kind)
{
    public CodePointSet? Set { get; init; }
    /// <summary>The code point of a literal character, or -1.</summary>
    public int Literal { get; init; } = -1;
    public string Quantifier { get; init; } = "";
    /// <summary>The fewest repetitions the quantifier allows (1 without one).</summary>
    public int Min { get; init; } = 1;
    public bool Caseless { get; set; }
    public List<PatternShape>? Inner { get; init; }

    public static PatternAtom Of(CodePointSet set) => new(set.ToPattern(), PatternAtomKind.Char) { Set = set };

    public static PatternAtom Group(string open, string body, string close, List<PatternShape> inner) =>
        new(open + body + close, PatternAtomKind.Group) { Inner = inner };
}

internal sealed class PatternShape(List<PatternAtom> atoms)
{
    public IReadOnlyList<PatternAtom> Atoms => atoms;

    /// <summary>The alternative as a .NET pattern.</summary>
    public string Net { get; } = string.Concat(atoms.Select(a => a.Net + a.Quantifier));

    /// <summary>Case-insensitive matching applies to every atom (IGNORECASE for the whole pattern).</summary>
    public void MarkCaseless()
    {
        foreach (var atom in atoms)
        {
            atom.Caseless = true;
            foreach (var inner in atom.Inner ?? [])
                inner.MarkCaseless();
        }
    }

    /// <summary>Whether a match must start at the start of the text (^ or \A first, without MULTILINE).</summary>
    public bool AnchoredStart => atoms.Count > 0 && atoms[0] is { Kind: PatternAtomKind.Start, Quantifier: "" };

    /// <summary>Whether the last atom is $ (the end of the text, or just before a final "\n").</summary>
    public bool AnchoredEnd => atoms.Count > 0 && atoms[^1] is { Kind: PatternAtomKind.End, Quantifier: "" };

    public bool HasBackreference => atoms.Any(a => a.Kind == PatternAtomKind.Backreference || (a.Inner?.Any(i => i.HasBackreference) ?? false));

    /// <summary>
    /// The text when the alternative is nothing but literal characters (case-sensitive, unquantified), optionally after ^ and
    /// before $; otherwise null.
    /// </summary>
    public string? Literal
    {
        get
        {
            var from = AnchoredStart ? 1 : 0;
            var to = AnchoredEnd ? atoms.Count - 1 : atoms.Count;
            if (to <= from)
                return null;
            var sb = new StringBuilder();
            for (var i = from; i < to; i++)
            {
                if (atoms[i] is not { Kind: PatternAtomKind.Char, Quantifier: "", Caseless: false, Literal: >= 0 } atom)
                    return null;
                sb.Append(char.ConvertFromUtf32(atom.Literal));
            }
            return sb.ToString();
        }
    }

    /// <summary>The code points a match can begin with; null when unknown or when a match can be empty.</summary>
    public CodePointSet? First => Edge(atoms, forward: true) is (var set, false) ? set : null;

    /// <summary>
    /// For an alternative ending in $: the code points a match can end with (before the $); null when unknown, when it
    /// does not end in $, or when a match can be empty.
    /// </summary>
    public CodePointSet? Last => AnchoredEnd && Edge(atoms.Take(atoms.Count - 1).ToList(), forward: false) is (var set, false) ? set : null;

    /// <summary>
    /// When the alternative starts with a positive lookbehind: the code points that can stand just before the match
    /// (the ones its body can end with); otherwise null.
    /// </summary>
    public CodePointSet? Before => atoms.Count > 0 && atoms[0] is { Kind: PatternAtomKind.LookBehind, Quantifier: "", Inner: { } inner }
        ? Union(inner, forward: false) is (var set, false) ? set : null
        : null;

    /// <summary>
    /// Code points of which every match holds at least one (a character class the alternative cannot match without, the
    /// one least likely in ordinary words: no letters or digits if it can); null when the shape does not tell.
    /// </summary>
    public CodePointSet? Required => RequiredOf(atoms);

    static CodePointSet? RequiredOf(IReadOnlyList<PatternAtom> atoms)
    {
        CodePointSet? best = null;
        (bool Wordy, long Size) bestScore = (true, long.MaxValue);
        foreach (var atom in atoms)
        {
            if (atom.Min < 1)
                continue;
            var set = atom.Kind switch
            {
                PatternAtomKind.Char when atom.Set is not null => atom.Caseless ? CaseClosure(atom.Set) : atom.Set,
                PatternAtomKind.Group => RequiredOfAny(atom.Inner!),
                _ => null,
            };
            if (set is null)
                continue;
            var score = (Wordy: set.Ranges.Any(r => Enumerable.Range(r.Lo, Math.Min(r.Hi - r.Lo + 1, 0x10000)).Any(cp => cp <= 0xFFFF && char.IsLetterOrDigit((char)cp))),
                Size: set.Ranges.Sum(r => (long)r.Hi - r.Lo + 1));
            if (score.Wordy.CompareTo(bestScore.Wordy) < 0 || (score.Wordy == bestScore.Wordy && score.Size < bestScore.Size))
                (best, bestScore) = (set, score);
        }
        return best;
    }

    // A group's match is one of its alternatives' matches: the union of what each requires, or unknown if one does not tell.
    static CodePointSet? RequiredOfAny(List<PatternShape> alternatives)
    {
        var acc = CodePointSet.Of([]);
        foreach (var alternative in alternatives)
        {
            if (RequiredOf(alternative.Atoms) is not { } set)
                return null;
            acc = acc.Union(set);
        }
        return acc;
    }

    static readonly ConcurrentDictionary<string, CodePointSet> Closures = new(StringComparer.Ordinal);

    // The code points a class matches under IGNORECASE, as .NET's own case-insensitive matching decides it (every BMP
    // code point tried against the class); astral code points are all kept, as possible.
    static CodePointSet CaseClosure(CodePointSet set) => Closures.GetOrAdd(set.ToPattern(), pattern =>
    {
        var regex = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var ranges = new List<(int, int)>(set.Ranges) { (0x10000, CodePointSet.MaxCodePoint) };
        var one = new char[1];
        for (var c = 0; c < 0x10000; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF)
                continue;
            one[0] = (char)c;
            if (regex.IsMatch(one))
                ranges.Add((c, c));
        }
        return CodePointSet.Of(ranges);
    });

    // The code points a match of the atoms can begin (forward) or end (backward) with, and whether the atoms can match
    // nothing at all; (null, _) when the shape does not tell. Assertions are skipped: they only narrow what matches.
    static (CodePointSet? Set, bool CanBeEmpty) Edge(IReadOnlyList<PatternAtom> atoms, bool forward)
    {
        var acc = CodePointSet.Of([]);
        for (var k = 0; k < atoms.Count; k++)
        {
            var atom = atoms[forward ? k : atoms.Count - 1 - k];
            CodePointSet? set;
            bool canBeEmpty;
            switch (atom.Kind)
            {
                case PatternAtomKind.Start or PatternAtomKind.End or PatternAtomKind.LookBehind or PatternAtomKind.ZeroWidth:
                    continue;
                case PatternAtomKind.Char when atom.Set is not null:
                    (set, canBeEmpty) = (atom.Caseless ? CaseClosure(atom.Set) : atom.Set, false);
                    break;
                case PatternAtomKind.Group:
                    (set, canBeEmpty) = Union(atom.Inner!, forward);
                    break;
                default:
                    return (null, true);
            }
            if (set is null)
                return (null, true);
            acc = acc.Union(set);
            if (atom.Min >= 1 && !canBeEmpty)
                return (acc, false);
        }
        return (acc, true);
    }

    static (CodePointSet? Set, bool CanBeEmpty) Union(List<PatternShape> alternatives, bool forward)
    {
        var acc = CodePointSet.Of([]);
        var canBeEmpty = false;
        foreach (var alternative in alternatives)
        {
            var (set, empty) = Edge(alternative.Atoms, forward);
            if (set is null)
                return (null, true);
            acc = acc.Union(set);
            canBeEmpty |= empty;
        }
        return (acc, canBeEmpty);
    }
}
