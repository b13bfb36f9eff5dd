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

        public string Alternation()
        {
            var sb = new StringBuilder(Sequence());
            while (!AtEnd && pattern[Position] == '|')
            {
                Position++;
                sb.Append('|').Append(Sequence());
            }
            return sb.ToString();
        }

        string Sequence()
        {
            var sb = new StringBuilder();
            while (!AtEnd && pattern[Position] is not ('|' or ')'))
            {
                var atom = Atom();
                if (atom is null)
                    continue;
                sb.Append(atom).Append(Quantifier());
            }
            return sb.ToString();
        }

        string Quantifier()
        {
            if (AtEnd)
                return "";
            var c = pattern[Position];
            string q;
            if (c is '*' or '+' or '?')
            {
                Position++;
                q = c.ToString();
            }
            else if (c == '{' && Regex.Match(pattern[Position..], @"^\{(\d*)(,(\d*))?\}") is { Success: true } m && (m.Groups[1].Length > 0 || m.Groups[2].Success))
            {
                Position += m.Length;
                var min = m.Groups[1].Length > 0 ? m.Groups[1].Value : "0";
                q = m.Groups[2].Success ? $"{{{min},{m.Groups[3].Value}}}" : $"{{{min}}}";
            }
            else
                return "";
            if (!AtEnd && pattern[Position] == '?')
            {
                Position++;
                q += "?";
            }
            return q;
        }

        // One atom as a .NET pattern that a quantifier can follow, or null for an inline flag group that emits nothing.
        string? Atom()
        {
            var c = pattern[Position];
            switch (c)
            {
                case '(':
                    return Group();
                case '[':
                    Position++;
                    return Class().ToPattern();
                case '.':
                    Position++;
                    return ((Flags & DotAll) != 0 ? CodePointSet.Of([(0, CodePointSet.MaxCodePoint)]) : CodePointSet.Of([(10, 10)]).Complement()).ToPattern();
                case '^':
                    Position++;
                    return "^";
                case '$':
                    Position++;
                    return "$";
                case '\\':
                    Position++;
                    return Escape();
                default:
                    return Literal(Next());
            }
        }

        string? Group()
        {
            Position++; // (
            if (AtEnd || pattern[Position] != '?')
                return $"({Close()})";
            Position++;
            var c = pattern[Position];
            if (c == ':') { Position++; return $"(?:{Close()})"; }
            if (c is '=' or '!') { Position++; return $"(?{c}{Close()})"; }
            if (c == '<' && pattern[Position + 1] is '=' or '!') { Position += 2; return $"(?<{pattern[Position - 1]}{Close()})"; }
            if (c == 'P' && pattern[Position + 1] == '<')
            {
                var end = pattern.IndexOf('>', Position);
                var name = pattern[(Position + 2)..end];
                Position = end + 1;
                return $"(?<{name}>{Close()})";
            }
            if (c == 'P' && pattern[Position + 1] == '=')
            {
                var end = pattern.IndexOf(')', Position);
                var name = pattern[(Position + 2)..end];
                Position = end + 1;
                return $"\\k<{name}>";
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
            var inner = Close();
            var scoped = Flags;
            Flags = saved;
            var netOn = NetFlags(scoped & ~saved);
            var netOff = NetFlags(saved & ~scoped);
            return $"(?{netOn}{(netOff.Length > 0 ? "-" + netOff : "")}:{inner})";
        }

        static string NetFlags(int f) => ((f & IgnoreCase) != 0 ? "i" : "") + ((f & Multiline) != 0 ? "m" : "") + ((f & DotAll) != 0 ? "s" : "");

        string Close()
        {
            var inner = Alternation();
            if (AtEnd || pattern[Position] != ')')
                throw new FormatException("missing ')' in pattern");
            Position++;
            return inner;
        }

        string Escape()
        {
            var c = pattern[Position];
            switch (c)
            {
                case 'd': Position++; return owner.Digit.ToPattern();
                case 'D': Position++; return owner.Digit.Complement().ToPattern();
                case 'w': Position++; return owner.Word.ToPattern();
                case 'W': Position++; return owner.Word.Complement().ToPattern();
                case 's': Position++; return owner.Space.ToPattern();
                case 'S': Position++; return owner.Space.Complement().ToPattern();
                case 'b': Position++; return owner.Boundary(true);
                case 'B': Position++; return owner.Boundary(false);
                case 'A': Position++; return "\\A";
                case 'Z': Position++; return "\\z";
                case >= '1' and <= '9':
                    Position++;
                    return "\\" + c;
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

        public CodePointSet ClassSet() => Class();

        public int LastRead;

        /// <summary>At a backslash: the code point of the escape after it.</summary>
        public int SkipBackslashAndRead()
        {
            Position++;
            return LastRead = EscapedCodePoint();
        }

        CodePointSet Class()
        {
            var negated = false;
            if (pattern[Position] == '^') { negated = true; Position++; }
            var set = CodePointSet.Of([]);
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
                        set = set.Union(piece);
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
                set = set.Union(CodePointSet.Of([(lo, hi)]));
            }
            Position++; // ]
            return negated ? set.Complement() : set;
        }

        int Skip(int value)
        {
            Position++;
            return value;
        }

        static string Literal(int cp)
        {
            if (cp > 0xFFFF)
                return $"(?:{CodePointSet.Of([(cp, cp)]).ToPattern()})";
            return "\\u" + cp.ToString("X4", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// The code points a match of <paramref name="pattern"/> can end with, when every top-level alternative ends with an atom
    /// (optionally repeated at least once) before "$"; null when that cannot be told from the pattern's shape. A suffix
    /// search can skip text whose last code point is not in the set: no alternative could match up to its end.
    /// </summary>
    public CodePointSet? LastCodePoints(string pattern, int flags)
    {
        if ((flags & IgnoreCase) != 0 || pattern.StartsWith("(?", StringComparison.Ordinal) && !pattern.StartsWith("(?:", StringComparison.Ordinal))
            return null;
        var result = CodePointSet.Of([]);
        foreach (var alternative in TopLevelAlternatives(pattern))
        {
            if (!alternative.EndsWith('$') || alternative.EndsWith("\\$", StringComparison.Ordinal))
                return null;
            var last = LastAtom(alternative[..^1]);
            if (last is null)
                return null;
            result = result.Union(last);
        }
        return result;
    }

    // The set of the last atom of a sequence, or null (a group, an optional atom, ".", a lookaround, an anchor).
    CodePointSet? LastAtom(string sequence)
    {
        var atoms = Atoms(sequence);
        if (atoms.Count == 0)
            return null;
        var atom = atoms[^1];
        if (atom.EndsWith('?') && atom.Length > 1 && atom[^2] is '+' or '}' && !atom.EndsWith("\\?", StringComparison.Ordinal))
            atom = atom[..^1]; // lazy quantifier
        if (atom.EndsWith('+') && !atom.EndsWith("\\+", StringComparison.Ordinal))
            atom = atom[..^1];
        else if (Regex.Match(atom, @"\{([1-9]\d*)(,\d*)?\}$") is { Success: true } m && !atom[..^m.Length].EndsWith('\\'))
            atom = atom[..^m.Length];
        if (atom.Length == 0 || atom is "." or "^" or "$" || atom[0] == '(' || atom.EndsWith('*') || atom.EndsWith('?') && !atom.EndsWith("\\?", StringComparison.Ordinal))
            return null;
        var parser = new Parser(this, atom, 0);
        if (atom[0] == '[')
        {
            parser.Position = 1;
            return parser.ClassSet();
        }
        if (atom[0] == '\\')
            return atom[1] switch
            {
                'd' => Digit, 'w' => Word, 's' => Space, 'D' or 'W' or 'S' or 'b' or 'B' or 'A' or 'Z' or >= '1' and <= '9' => null,
                _ => CodePointSet.Of([(parser.SkipBackslashAndRead(), parser.LastRead)]),
            };
        var cp = char.ConvertToUtf32(atom, 0);
        return CodePointSet.Of([(cp, cp)]);
    }

    static List<string> TopLevelAlternatives(string pattern) => Split(pattern, splitAlternatives: true);

    static List<string> Atoms(string sequence) => Split(sequence, splitAlternatives: false);

    // Splits at top-level "|" (alternatives), or into atoms with their quantifiers; classes, escapes and groups stay whole.
    static List<string> Split(string p, bool splitAlternatives)
    {
        var parts = new List<string>();
        var start = 0;
        var depth = 0;
        var opens = new Stack<int>();
        for (var i = 0; i < p.Length;)
        {
            var atomStart = i;
            switch (p[i])
            {
                case '\\':
                    i += p[i + 1] switch { 'x' => 4, 'u' => 6, 'U' => 10, _ => char.IsHighSurrogate(p[i + 1]) ? 3 : 2 };
                    break;
                case '[':
                    i++;
                    if (i < p.Length && p[i] == '^') i++;
                    if (i < p.Length && p[i] == ']') i++;
                    while (p[i] != ']')
                        i += p[i] == '\\' ? 2 : 1;
                    i++;
                    break;
                case '(':
                    opens.Push(i);
                    depth++;
                    i++;
                    continue;
                case ')':
                    depth--;
                    atomStart = opens.Pop();
                    i++;
                    if (depth > 0 || splitAlternatives)
                        continue;
                    break;
                case '|' when depth == 0 && splitAlternatives:
                    parts.Add(p[start..i]);
                    start = ++i;
                    continue;
                default:
                    i += char.IsHighSurrogate(p[i]) ? 2 : 1;
                    break;
            }
            if (depth > 0 || splitAlternatives)
                continue;
            // Quantifiers belong to the atom before them.
            while (i < p.Length && (p[i] is '*' or '+' or '?' || p[i] == '{' && Regex.IsMatch(p[i..], @"^\{\d*(,\d*)?\}")))
                i = p[i] == '{' ? p.IndexOf('}', i) + 1 : i + 1;
            parts.Add(p[atomStart..i]);
        }
        if (splitAlternatives)
            parts.Add(p[start..]);
        return parts;
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
