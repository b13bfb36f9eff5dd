// Splits a Jinja template into text, {{ output }} and {% statement %} segments, applying -/+ markers, trim_blocks and lstrip_blocks.
using System.Globalization;
using System.Text;

namespace Pharos.Models.Tokenization.Jinja;

internal enum SegmentKind { Text, Output, Statement }

internal sealed record JinjaSegment(SegmentKind Kind, string Text, int Line, List<JinjaToken> Tokens);

/// <summary>
/// Whitespace rules are transformers' environment: trim_blocks and lstrip_blocks on (they apply to {% %} and {# #},
/// not to {{ }}), a single trailing newline of the template dropped (keep_trailing_newline off), \r\n read as \n.
/// </summary>
internal static class JinjaLexer
{
    public static List<JinjaSegment> Lex(string source)
    {
        source = source.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (source.EndsWith('\n'))
            source = source[..^1];

        var segments = new List<JinjaSegment>();
        var text = new StringBuilder();
        var pos = 0;
        var line = 1;
        var trimNextNewline = false;   // trim_blocks after %} or #}
        var stripNextWhitespace = false; // after -}} / -%} / -#}
        var textLine = 1;

        while (pos < source.Length)
        {
            var open = FindOpen(source, pos);
            var chunk = source[pos..(open < 0 ? source.Length : open)];
            if (stripNextWhitespace)
                chunk = chunk.TrimStart();
            else if (trimNextNewline && chunk.StartsWith('\n'))
                chunk = chunk[1..];
            stripNextWhitespace = trimNextNewline = false;

            if (open < 0)
            {
                text.Append(chunk);
                break;
            }

            var kind = source[open + 1];
            var marker = open + 2 < source.Length ? source[open + 2] : '\0';
            if (marker == '-')
                chunk = chunk.TrimEnd();
            else if (kind != '{' && marker != '+')
                chunk = LStripBlock(source, open, chunk);
            text.Append(chunk);
            line += CountLines(source, pos, open);
            if (text.Length > 0)
                segments.Add(new JinjaSegment(SegmentKind.Text, text.ToString(), textLine, []));
            text.Clear();

            var tagLine = line;
            var bodyStart = open + 2 + (marker is '-' or '+' ? 1 : 0);
            var close = kind == '#' ? "#}" : kind == '%' ? "%}" : "}}";
            var end = FindClose(source, bodyStart, close, kind != '#', tagLine);
            var body = source[bodyStart..end];
            var rightMarker = body.EndsWith('-') ? '-' : body.EndsWith('+') ? '+' : '\0';
            if (rightMarker != '\0')
                body = body[..^1];
            line += CountLines(source, open, end + 2);
            pos = end + 2;
            textLine = line;

            if (rightMarker == '-')
                stripNextWhitespace = true;
            else if (kind != '{' && rightMarker != '+')
                trimNextNewline = true;

            if (kind == '#')
                continue;
            var tokens = Tokenize(body, tagLine);
            if (kind == '%' && tokens.Count > 1 && tokens[0].IsName("raw"))
            {
                // {% raw %}…{% endraw %}: the text in between is output as written.
                var endRaw = source.IndexOf("endraw", pos, StringComparison.Ordinal);
                var rawOpen = endRaw < 0 ? -1 : source.LastIndexOf("{%", endRaw, StringComparison.Ordinal);
                if (rawOpen < 0)
                    throw new JinjaException("{% raw %} without {% endraw %}", tagLine);
                var raw = source[pos..rawOpen];
                if (source[rawOpen + 2] == '-')
                    raw = raw.TrimEnd();
                if (stripNextWhitespace)
                    raw = raw.TrimStart();
                segments.Add(new JinjaSegment(SegmentKind.Text, raw, line, []));
                var rawClose = FindClose(source, rawOpen + 2, "%}", true, line);
                stripNextWhitespace = source[rawClose - 1] == '-';
                trimNextNewline = !stripNextWhitespace;
                line += CountLines(source, pos, rawClose + 2);
                pos = rawClose + 2;
                textLine = line;
                continue;
            }
            segments.Add(new JinjaSegment(kind == '{' ? SegmentKind.Output : SegmentKind.Statement, body, tagLine, tokens));
        }
        if (text.Length > 0)
            segments.Add(new JinjaSegment(SegmentKind.Text, text.ToString(), textLine, []));
        return segments;
    }

    static int FindOpen(string s, int from)
    {
        for (var i = s.IndexOf('{', from); i >= 0 && i + 1 < s.Length; i = s.IndexOf('{', i + 1))
            if (s[i + 1] is '{' or '%' or '#')
                return i;
        return -1;
    }

    /// <summary>The index of the closing delimiter outside string literals and brackets ({{ {'a': {}} }} closes at the last "}}").</summary>
    static int FindClose(string s, int from, string close, bool isExpression, int line)
    {
        var depth = 0;
        for (var i = from; i + 1 < s.Length; i++)
        {
            var c = s[i];
            if (isExpression && c is '\'' or '"')
            {
                var j = i + 1;
                while (j < s.Length && s[j] != c)
                    j += s[j] == '\\' ? 2 : 1;
                i = j;
                continue;
            }
            if (depth == 0 && c == close[0] && s[i + 1] == close[1])
                return i;
            if (isExpression && c is '(' or '[' or '{')
                depth++;
            else if (isExpression && c is ')' or ']' or '}' && depth > 0)
                depth--;
        }
        throw new JinjaException($"tag is not closed with '{close}'", line);
    }

    /// <summary>lstrip_blocks: spaces and tabs between the start of a line and a block tag are dropped.</summary>
    static string LStripBlock(string source, int open, string chunk)
    {
        var k = open;
        while (k > 0 && source[k - 1] is ' ' or '\t')
            k--;
        if (k > 0 && source[k - 1] != '\n')
            return chunk;
        return chunk[..Math.Max(0, chunk.Length - (open - k))];
    }

    static int CountLines(string s, int from, int to)
    {
        var n = 0;
        for (var i = from; i < to && i < s.Length; i++)
            if (s[i] == '\n')
                n++;
        return n;
    }

    static readonly string[] Operators = ["**", "//", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "<", ">", "=", "(", ")", "[", "]", "{", "}", ".", ",", ":", "|", "~"];

    public static List<JinjaToken> Tokenize(string body, int line)
    {
        var tokens = new List<JinjaToken>();
        var i = 0;
        while (i < body.Length)
        {
            var c = body[i];
            if (c == '\n')
            {
                line++;
                i++;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < body.Length && (char.IsLetterOrDigit(body[i]) || body[i] == '_'))
                    i++;
                tokens.Add(new JinjaToken(JinjaTokenKind.Name, body[start..i], line));
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < body.Length && (char.IsAsciiDigit(body[i]) || body[i] == '_'))
                    i++;
                var isFloat = false;
                if (i + 1 < body.Length && body[i] == '.' && char.IsAsciiDigit(body[i + 1]))
                {
                    isFloat = true;
                    i++;
                    while (i < body.Length && char.IsAsciiDigit(body[i]))
                        i++;
                }
                if (i < body.Length && body[i] is 'e' or 'E')
                {
                    isFloat = true;
                    i++;
                    if (i < body.Length && body[i] is '+' or '-')
                        i++;
                    while (i < body.Length && char.IsAsciiDigit(body[i]))
                        i++;
                }
                var literal = body[start..i].Replace("_", "", StringComparison.Ordinal);
                tokens.Add(isFloat
                    ? new JinjaToken(JinjaTokenKind.Float, literal, line, double.Parse(literal, CultureInfo.InvariantCulture))
                    : new JinjaToken(JinjaTokenKind.Integer, literal, line, long.Parse(literal, CultureInfo.InvariantCulture)));
                continue;
            }
            if (c is '\'' or '"')
            {
                var (value, end) = ReadString(body, i, line);
                tokens.Add(new JinjaToken(JinjaTokenKind.String, body[i..end], line, value));
                line += CountLines(body, i, end);
                i = end;
                continue;
            }
            var op = Operators.FirstOrDefault(o => string.CompareOrdinal(body, i, o, 0, o.Length) == 0)
                ?? throw new JinjaException($"unexpected character '{c}'", line);
            tokens.Add(new JinjaToken(JinjaTokenKind.Operator, op, line));
            i += op.Length;
        }
        tokens.Add(new JinjaToken(JinjaTokenKind.End, "", line));
        return tokens;
    }

    /// <summary>A Python string literal with its backslash escapes.</summary>
    static (string Value, int End) ReadString(string s, int start, int line)
    {
        var quote = s[start];
        var sb = new StringBuilder();
        var i = start + 1;
        while (i < s.Length && s[i] != quote)
        {
            if (s[i] != '\\' || i + 1 >= s.Length)
            {
                sb.Append(s[i++]);
                continue;
            }
            var e = s[i + 1];
            i += 2;
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '0': sb.Append('\0'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case 'a': sb.Append('\a'); break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case '\n': break;
                case 'x' or 'u' or 'U':
                    var n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + n > s.Length || !int.TryParse(s.AsSpan(i, n), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp))
                        throw new JinjaException($"bad \\{e} escape in string literal", line);
                    sb.Append(char.ConvertFromUtf32(cp));
                    i += n;
                    break;
                default: sb.Append('\\').Append(e); break;
            }
        }
        if (i >= s.Length)
            throw new JinjaException("string literal is not closed", line);
        return (sb.ToString(), i + 1);
    }
}
