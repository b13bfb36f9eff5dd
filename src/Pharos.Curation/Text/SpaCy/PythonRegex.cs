// Translates a Python `re` pattern (as spaCy compiles its tokenizer rules) into a .NET pattern with Python's meaning on code points.
//
// What differs between the engines and is handled here: Python's \w, \d, \s (given as code point ranges exported from
// Python itself), \b built on that \w, classes and "." matching whole code points (a .NET class sees UTF-16 units, so a
// character above U+FFFF becomes a surrogate-pair alternative), (?P<name>…) groups, inline flags, and \Z.
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pharos.Curation.Text.SpaCy;

internal sealed class PythonRegex(CodePointSet word, CodePointSet digit, CodePointSet space)
{
    const int IgnoreCase = 2, Multiline = 8, DotAll = 16, Verbose = 64, Ascii = 256;

    /// <summary>The .NET pattern and options for <paramref name="pattern"/> compiled with Python flags <paramref name="flags"/>.</summary>
    public (string Pattern, RegexOptions Options) Translate(string pattern, int flags)
    {
        var (alternatives, options) = Parse(pattern, flags);
        return (string.Join('|', alternatives.Select(a => a.Net)), options);
    }

    /// <summary>
    /// The pattern's top-level alternatives, each translated on its own with what can be told from its shape (where a match
    /// can start, whether it is a plain literal), and the options for all of them.
    /// </summary>
    public (List<PatternShape> Alternatives, RegexOptions Options) TranslateAlternatives(string pattern, int flags) => Parse(pattern, flags);

    (List<PatternShape> Alternatives, RegexOptions Options) Parse(string pattern, int flags)
    {
        var parser = new Parser(this, pattern, flags);
        var body = parser.Alternation();
        if (parser.Position < pattern.Length)
            throw new FormatException($"unbalanced ')' at {parser.Position} in pattern");
        flags = parser.Flags;
        if ((flags & (Verbose | Ascii)) != 0)
            throw new NotSupportedException("Python regex flags VERBOSE and ASCII are not translated");
        var options = RegexOptions.CultureInvariant;
        if ((flags & IgnoreCase) != 0) options |= RegexOptions.IgnoreCase;
        if ((flags & Multiline) != 0) options |= RegexOptions.Multiline;
        // A global flag applies to the whole pattern in .NET; an atom parsed before it saw no case folding.
        if ((flags & IgnoreCase) != 0)
            foreach (var a in body)
                a.MarkCaseless();
        return (body, options);
    }

    sealed class Parser(PythonRegex owner, string pattern, int flags)
    {
        public int Position;
        public int Flags = flags;

        bool AtEnd => Position >= pattern.Length;

        int Next()
        {
            var cp = char.IsSurrogatePair(pattern, Position) ? char.ConvertToUtf32(pattern, Position) : pattern[Position];
            Position += cp > 0xFFFF ? 2 : 1;
            return cp;
        }

        public List<PatternShape> Alternation()
        {
            var alternatives = new List<PatternShape> { Sequence() };
            while (!AtEnd && pattern[Position] == '|')
            {
                Position++;
                alternatives.Add(Sequence());
            }
            return alternatives;
        }

        PatternShape Sequence()
        {
            var atoms = new List<PatternAtom>();
            while (!AtEnd && pattern[Position] is not ('|' or ')'))
            {
                var caseless = (Flags & IgnoreCase) != 0;
                var atom = ParseAtom();
                if (atom is null)
                    continue;
                var (quantifier, min) = Quantifier();
                atoms.Add(atom with { Quantifier = quantifier, Min = quantifier.Length == 0 ? 1 : min, Caseless = atom.Caseless || caseless });
            }
            return new PatternShape(atoms);
        }

        (string Text, int Min) Quantifier()
        {
            if (AtEnd)
                return ("", 1);
            var c = pattern[Position];
            string q;
            int least;
            if (c is '*' or '+' or '?')
            {
                Position++;
                q = c.ToString();
                least = c == '+' ? 1 : 0;
            }
            else if (c == '{' && Regex.Match(pattern[Position..], @"^\{(\d*)(,(\d*))?\}") is { Success: true } m && (m.Groups[1].Length > 0 || m.Groups[2].Success))
            {
                Position += m.Length;
                var min = m.Groups[1].Length > 0 ? m.Groups[1].Value : "0";
                q = m.Groups[2].Success ? $"{{{min},{m.Groups[3].Value}}}" : $"{{{min}}}";
                least = int.Parse(min, CultureInfo.InvariantCulture);
            }
            else
                return ("", 1);
            if (!AtEnd && pattern[Position] == '?')
            {
                Position++;
                q += "?";
            }
            return (q, least);
        }

        // One atom as a .NET pattern that a quantifier can follow, or null for an inline flag group that emits nothing.
        PatternAtom? ParseAtom()
        {
            var c = pattern[Position];
            switch (c)
            {
                case '(':
                    return Group();
                case '[':
                    Position++;
                    return PatternAtom.Of(Class());
                case '.':
                    Position++;
                    return PatternAtom.Of((Flags & DotAll) != 0 ? CodePointSet.Of([(0, CodePointSet.MaxCodePoint)]) : CodePointSet.Of([(10, 10)]).Complement());
                case '^':
                    Position++;
                    return new PatternAtom("^", (Flags & Multiline) != 0 ? PatternAtomKind.ZeroWidth : PatternAtomKind.Start);
                case '$':
                    Position++;
                    return new PatternAtom("$", (Flags & Multiline) != 0 ? PatternAtomKind.ZeroWidth : PatternAtomKind.End);
                case '\\':
                    Position++;
                    return Escape();
                default:
                    return Literal(Next());
            }
        }

        PatternAtom? Group()
        {
            Position++; // (
            if (AtEnd || pattern[Position] != '?')
                return PatternAtom.Group("(", Close(out var inner), ")", inner);
            Position++;
            var c = pattern[Position];
            if (c == ':') { Position++; return PatternAtom.Group("(?:", Close(out var inner), ")", inner); }
            if (c is '=' or '!')
            {
                Position++;
                var ahead = Close(out var inner);
                return new PatternAtom($"(?{c}{ahead})", PatternAtomKind.ZeroWidth) { Inner = inner };
            }
            if (c == '<' && pattern[Position + 1] is '=' or '!')
            {
                var sign = pattern[Position + 1];
                Position += 2;
                var behind = Close(out var inner);
                return new PatternAtom($"(?<{sign}{behind})", sign == '=' ? PatternAtomKind.LookBehind : PatternAtomKind.ZeroWidth) { Inner = inner };
            }
            if (c == 'P' && pattern[Position + 1] == '<')
            {
                var end = pattern.IndexOf('>', Position);
                var name = pattern[(Position + 2)..end];
                Position = end + 1;
                return PatternAtom.Group($"(?<{name}>", Close(out var inner), ")", inner);
            }
            if (c == 'P' && pattern[Position + 1] == '=')
            {
                var end = pattern.IndexOf(')', Position);
                var name = pattern[(Position + 2)..end];
                Position = end + 1;
                return new PatternAtom($"\\k<{name}>", PatternAtomKind.Backreference);
            }
            if (c == '#')
            {
                Position = pattern.IndexOf(')', Position) + 1;
                return null;
            }
            // Flags: (?aiLmsux) for the whole pattern, or (?i:…) / (?-i:…) for a group.
            var on = 0;
            var off = 0;
            var negate = false;
            while (pattern[Position] is not (')' or ':'))
            {
                var f = pattern[Position++];
                if (f == '-') { negate = true; continue; }
                var bit = f switch { 'i' => IgnoreCase, 'm' => Multiline, 's' => DotAll, 'x' => Verbose, 'a' => Ascii, 'u' or 'L' => 0, _ => throw new FormatException($"unknown inline flag '{f}'") };
                if (negate) off |= bit; else on |= bit;
            }
            if (pattern[Position++] == ')')
            {
                Flags |= on;
                return null;
            }
            var saved = Flags;
            Flags = (Flags | on) & ~off;
            var body = Close(out var alternatives);
            var scoped = Flags;
            Flags = saved;
            var netOn = NetFlags(scoped & ~saved);
            var netOff = NetFlags(saved & ~scoped);
            return PatternAtom.Group($"(?{netOn}{(netOff.Length > 0 ? "-" + netOff : "")}:", body, ")", alternatives);
        }

        static string NetFlags(int f) => ((f & IgnoreCase) != 0 ? "i" : "") + ((f & Multiline) != 0 ? "m" : "") + ((f & DotAll) != 0 ? "s" : "");

        // The group's body as a .NET pattern, and its alternatives' shapes.
        string Close(out List<PatternShape> alternatives)
        {
            alternatives = Alternation();
            if (AtEnd || pattern[Position] != ')')
                throw new FormatException("missing ')' in pattern");
            Position++;
            return string.Join('|', alternatives.Select(a => a.Net));
        }

        PatternAtom Escape()
        {
            var c = pattern[Position];
            switch (c)
            {
                case 'd': Position++; return PatternAtom.Of(owner.Digit);
                case 'D': Position++; return PatternAtom.Of(owner.Digit.Complement());
                case 'w': Position++; return PatternAtom.Of(owner.Word);
                case 'W': Position++; return PatternAtom.Of(owner.Word.Complement());
                case 's': Position++; return PatternAtom.Of(owner.Space);
                case 'S': Position++; return PatternAtom.Of(owner.Space.Complement());
                case 'b': Position++; return new PatternAtom(owner.Boundary(true), PatternAtomKind.ZeroWidth);
                case 'B': Position++; return new PatternAtom(owner.Boundary(false), PatternAtomKind.ZeroWidth);
                case 'A': Position++; return new PatternAtom("\\A", PatternAtomKind.Start);
                case 'Z': Position++; return new PatternAtom("\\z", PatternAtomKind.ZeroWidth);
                case >= '1' and <= '9':
                    Position++;
                    return new PatternAtom("\\" + c, PatternAtomKind.Backreference);
                default:
                    return Literal(EscapedCodePoint());
            }
        }

        // The code point of an escape that stands for one character (\n, \x41, \u00e9, \U0001F600, \-, \.).
        int EscapedCodePoint()
        {
            var c = pattern[Position++];
            return c switch
            {
                'n' => '\n', 't' => '\t', 'r' => '\r', 'f' => '\f', 'v' => '\v', 'a' => '\a', '0' => 0,
                'x' => Hex(2), 'u' => Hex(4), 'U' => Hex(8),
                _ when char.IsLetterOrDigit(c) => throw new FormatException($"unsupported escape \\{c}"),
                _ => char.IsHighSurrogate(c) ? char.ConvertToUtf32(c, pattern[Position++]) : c,
            };
        }

        int Hex(int digits)
        {
            var value = int.Parse(pattern.AsSpan(Position, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            Position += digits;
            return value;
        }

        CodePointSet Class()
        {
            var negated = false;
            if (pattern[Position] == '^') { negated = true; Position++; }
            // The ranges are gathered and merged once: a class of spaCy's lists thousands of them.
            var ranges = new List<(int Lo, int Hi)>();
            var first = true;
            while (first || pattern[Position] != ']')
            {
                first = false;
                CodePointSet? piece = null;
                int lo;
                if (pattern[Position] == '\\')
                {
                    Position++;
                    piece = pattern[Position] switch
                    {
                        'd' => owner.Digit, 'D' => owner.Digit.Complement(), 'w' => owner.Word, 'W' => owner.Word.Complement(),
                        's' => owner.Space, 'S' => owner.Space.Complement(), _ => null,
                    };
                    if (piece is not null)
                    {
                        Position++;
                        ranges.AddRange(piece.Ranges);
                        continue;
                    }
                    lo = pattern[Position] == 'b' ? Skip('\b') : EscapedCodePoint();
                }
                else
                    lo = Next();
                var hi = lo;
                if (pattern[Position] == '-' && pattern[Position + 1] != ']')
                {
                    Position++;
                    if (pattern[Position] == '\\')
                    {
                        Position++;
                        hi = EscapedCodePoint();
                    }
                    else
                        hi = Next();
                }
                ranges.Add((lo, hi));
            }
            Position++; // ]
            var set = CodePointSet.Of(ranges);
            return negated ? set.Complement() : set;
        }

        int Skip(int value)
        {
            Position++;
            return value;
        }

        static PatternAtom Literal(int cp)
        {
            var net = cp > 0xFFFF ? $"(?:{CodePointSet.Of([(cp, cp)]).ToPattern()})" : "\\u" + cp.ToString("X4", CultureInfo.InvariantCulture);
            // A lone surrogate in a pattern is no code point a CodePointSet can hold: its shape stays unknown.
            return cp is >= 0xD800 and <= 0xDFFF ? new PatternAtom(net, PatternAtomKind.Other) : new PatternAtom(net, PatternAtomKind.Char) { Set = CodePointSet.Of([(cp, cp)]), Literal = cp };
        }
    }

    /// <summary>
    /// The code points a match of <paramref name="pattern"/> can end with, when every top-level alternative ends in "$" after
    /// something that cannot be empty; null when that cannot be told from the pattern's shape. A suffix search can skip
    /// text whose last code point is not in the set (and does not end in "\n", before which "$" also matches).
    /// </summary>
    public CodePointSet? LastCodePoints(string pattern, int flags)
    {
        var result = CodePointSet.Of([]);
        foreach (var alternative in Parse(pattern, flags).Alternatives)
        {
            if (alternative.Last is not { } last)
                return null;
            result = result.Union(last);
        }
        return result;
    }

    /// <summary>
    /// Code points of which every match of <paramref name="pattern"/> holds at least one, when each top-level alternative
    /// requires one; null when that cannot be told from the pattern's shape. Text without any of them cannot match.
    /// </summary>
    public CodePointSet? RequiredCodePoints(string pattern, int flags) => RequiredCodePoints(Parse(pattern, flags).Alternatives);

    /// <summary>The same for alternatives from <see cref="TranslateAlternatives"/>.</summary>
    public static CodePointSet? RequiredCodePoints(IEnumerable<PatternShape> alternatives)
    {
        var result = CodePointSet.Of([]);
        foreach (var alternative in alternatives)
        {
            if (alternative.Required is not { } required)
                return null;
            result = result.Union(required);
        }
        return result;
    }

    CodePointSet Word => word;
    CodePointSet Digit => digit;
    CodePointSet Space => space;

    // Python's \b: a position between a \w code point and a non-\w one (or the text's edge).
    string Boundary(bool at)
    {
        var w = word.ToPattern();
        return at ? $"(?:(?<={w})(?!{w})|(?<!{w})(?={w}))" : $"(?:(?<={w})(?={w})|(?<!{w})(?!{w}))";
    }
}
