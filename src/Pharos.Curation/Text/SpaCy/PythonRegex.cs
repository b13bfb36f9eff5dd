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
