// Python str semantics that sacrebleu's numbers depend on: isspace(), split(), strip()/rstrip() and lower().
using System.Text;

namespace Pharos.Eval.Metrics.Text;

public static class PythonText
{
    /// <summary>Python's str.isspace for one UTF-16 unit (every Python whitespace character is in the BMP).</summary>
    public static bool IsSpace(char c)
    {
        if (c > ' ' && c < '\x85')
            return false;
        return c switch
        {
            ' ' or (>= '\t' and <= '\r') or (>= '\x1c' and <= '\x1f') or '\x85' or '\xa0' or '\u1680'
                or (>= '\u2000' and <= '\u200a') or '\u2028' or '\u2029' or '\u202f' or '\u205f' or '\u3000' => true,
            _ => false,
        };
    }

    /// <summary>str.rstrip() with no arguments.</summary>
    public static string RStrip(string s)
    {
        var end = s.Length;
        while (end > 0 && IsSpace(s[end - 1]))
            end--;
        return end == s.Length ? s : s[..end];
    }

    /// <summary>str.strip() with no arguments.</summary>
    public static ReadOnlySpan<char> Strip(ReadOnlySpan<char> s)
    {
        var start = 0;
        var end = s.Length;
        while (start < end && IsSpace(s[start]))
            start++;
        while (end > start && IsSpace(s[end - 1]))
            end--;
        return s[start..end];
    }


    /// <summary>' '.join(s.split()): collapses runs of Python whitespace to one space and trims both ends.</summary>
    public static void CollapseWhitespace(ReadOnlySpan<char> s, ref CharBuffer output)
    {
        output.Clear();
        var pendingSpace = false;
        foreach (var c in s)
        {
            if (IsSpace(c))
            {
                pendingSpace = output.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                output.Append(' ');
                pendingSpace = false;
            }
            output.Append(c);
        }
    }

    /// <summary>Python's str.lower(): full lowercase mapping of Python's Unicode tables, U+0130 to "i\u0307" and the Final_Sigma rule.</summary>
    public static string Lower(string s)
    {
        var i = 0;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c >= 0x80 || (c >= 'A' && c <= 'Z'))
                break;
        }
        if (i == s.Length)
            return s;
        var sb = new StringBuilder(s.Length + 4);
        sb.Append(s, 0, i);
        while (i < s.Length)
        {
            var c = s[i];
            if (c < 0x80)
            {
                sb.Append(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c);
                i++;
                continue;
            }
            var cp = (int)c;
            var width = 1;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                cp = char.ConvertToUtf32(c, s[i + 1]);
                width = 2;
            }
            if (cp == 0x130)
                sb.Append("i\u0307");
            else if (cp == 0x3A3)
                sb.Append(IsFinalSigma(s, i) ? '\u03C2' : '\u03C3');
            else
            {
                var lower = UnicodeData.LowerCodePoint(cp);
                if (lower < 0x10000)
                    sb.Append((char)lower);
                else
                    sb.Append(char.ConvertFromUtf32(lower));
            }
            i += width;
        }
        return sb.ToString();
    }

    // CPython: \p{cased}\p{case-ignorable}* U+03A3 !(\p{case-ignorable}* \p{cased}).
    static bool IsFinalSigma(string s, int i)
    {
        var j = i;
        var cp = 0;
        var found = false;
        while (j > 0)
        {
            cp = PreviousCodePoint(s, ref j);
            if (!UnicodeData.IsCaseIgnorable(cp))
            {
                found = true;
                break;
            }
        }
        if (!found || !UnicodeData.IsCased(cp))
            return false;
        j = i + 1;
        while (j < s.Length)
        {
            cp = NextCodePoint(s, ref j);
            if (!UnicodeData.IsCaseIgnorable(cp))
                return !UnicodeData.IsCased(cp);
        }
        return true;
    }

    static int PreviousCodePoint(string s, ref int j)
    {
        j--;
        var c = s[j];
        if (char.IsLowSurrogate(c) && j > 0 && char.IsHighSurrogate(s[j - 1]))
        {
            j--;
            return char.ConvertToUtf32(s[j], c);
        }
        return c;
    }

    static int NextCodePoint(string s, ref int j)
    {
        var c = s[j];
        if (char.IsHighSurrogate(c) && j + 1 < s.Length && char.IsLowSurrogate(s[j + 1]))
        {
            j += 2;
            return char.ConvertToUtf32(c, s[j - 1]);
        }
        j++;
        return c;
    }
}
