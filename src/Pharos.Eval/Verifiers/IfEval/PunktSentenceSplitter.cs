// NLTK's Punkt sentence splitter with empty (untrained) parameters: the substitute for punkt/english.pickle (see Fixtures/ifeval/README.md).
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.IfEval;

/// <summary>
/// Port of nltk.tokenize.punkt (3.8) tokenize() with no abbreviations, collocations, starters or orthographic
/// statistics. With empty statistics the orthographic heuristic only ever answers "not a starter" (lowercase or
/// punctuation next) or "unknown", which is what the two annotation passes below encode.
/// </summary>
public static class PunktSentenceSplitter
{
    const string NonWord = @"(?:[)"";}\]\*:@'\({\[?!])";
    const string MultiChar = @"(?:\-{2,}|\.{2,}|(?:\.\s){2,}\.)";
    const string WordStart = @"[^\(""`{\[:;&\#\*@\)}\]\-,]";
    static readonly Regex WordToken = new(
        $@"({MultiChar}|(?={WordStart})\S+?(?=\s|$|{NonWord}|{MultiChar}|,(?=$|\s|{NonWord}|{MultiChar}))|\S)",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);
    static readonly Regex PeriodContext = new(
        $@"[.?!](?=(?<after_tok>{NonWord}|\s+(?<next_tok>\S+)))", RegexOptions.Compiled | RegexOptions.CultureInvariant);
    static readonly Regex BoundaryRealignment = new(@"\A[""')\]}]+?(?:\s+|(?=--)|$)", RegexOptions.Compiled | RegexOptions.Multiline);
    static readonly Regex Numeric = new(@"^-?[\.,]?\d[\d,\.-]*\.?$", RegexOptions.Compiled);
    static readonly Regex Initial = new(@"^[\p{L}\p{N}_-[\d]]\.$", RegexOptions.Compiled);

    public static int Count(string text) => Split(text).Count;

    public static List<string> Split(string text)
    {
        var slices = Slices(text).ToList();
        var result = new List<string>();
        int realign = 0;
        for (int i = 0; i < slices.Count; i++)
        {
            var (start, stop) = (slices[i].Start + realign, slices[i].Stop);
            var piece = start < stop ? text[start..stop] : "";
            if (i + 1 == slices.Count) { if (piece.Length > 0) result.Add(piece); continue; }
            var next = slices[i + 1];
            var nextText = next.Start < next.Stop ? text[next.Start..next.Stop] : "";
            var m = BoundaryRealignment.Match(nextText);
            if (m.Success)
            {
                result.Add(text[start..(next.Start + m.Value.TrimEnd().Length)]);
                realign = m.Length;
            }
            else
            {
                realign = 0;
                if (piece.Length > 0) result.Add(piece);
            }
        }
        return result;
    }

    static IEnumerable<(int Start, int Stop)> Slices(string text)
    {
        int lastBreak = 0;
        foreach (var (match, context) in PotentialEnds(text))
        {
            if (!ContainsSentBreak(context)) continue;
            yield return (lastBreak, match.Index + match.Length);
            var next = match.Groups["next_tok"];
            lastBreak = next.Success ? next.Index : match.Index + match.Length;
        }
        yield return (lastBreak, text.TrimEnd().Length);
    }

    // Finds each candidate end and the word before it, dropping overlapping contexts as nltk does after its ReDoS fix.
    static IEnumerable<(Match Match, string Context)> PotentialEnds(string text)
    {
        (int Start, int Stop) previousSlice = (0, 0);
        Match? previous = null;
        foreach (Match match in PeriodContext.Matches(text))
        {
            var before = text[previousSlice.Stop..match.Index];
            int afterSpace = LastAsciiWhitespace(before);
            afterSpace = afterSpace != 0 ? afterSpace + previousSlice.Stop + 1 : previousSlice.Start;
            var wordSlice = (afterSpace, match.Index);
            if (previous is not null && previousSlice.Stop <= wordSlice.afterSpace)
                yield return (previous, Context(text, previousSlice, previous));
            previous = match;
            previousSlice = wordSlice;
        }
        if (previous is not null) yield return (previous, Context(text, previousSlice, previous));
    }

    static string Context(string text, (int Start, int Stop) slice, Match m) =>
        (slice.Start < slice.Stop ? text[slice.Start..slice.Stop] : "") + m.Value + m.Groups["after_tok"].Value;

    static int LastAsciiWhitespace(string s)
    {
        for (int i = s.Length - 1; i >= 0; i--)
            if (s[i] is ' ' or '\t' or '\n' or '\r' or '\v' or '\f') return i;
        return 0;
    }

    // True when some token other than the last is a sentence break after both annotation passes.
    static bool ContainsSentBreak(string context)
    {
        var tokens = new List<string>();
        foreach (var line in context.Split('\n'))
            if (PyText.Strip(line).Length > 0)
                foreach (Match m in WordToken.Matches(line)) tokens.Add(m.Value);
        for (int i = 0; i + 1 < tokens.Count; i++)
            if (IsSentBreak(tokens[i], tokens[i + 1])) return true;
        return false;
    }

    static bool IsSentBreak(string tok, string next)
    {
        if (tok is "." or "?" or "!") return true;
        if (tok.Length >= 2 && tok.All(c => c == '.')) return false; // ellipsis: never a break without statistics
        if (!tok.EndsWith('.') || tok.EndsWith("..")) return false;
        // First pass says "break"; the second pass may undo it for initials and numbers.
        var type = Numeric.IsMatch(tok.ToLowerInvariant()) ? "##number##" : tok.ToLowerInvariant();
        var typeNoPeriod = type.Length > 1 && type[^1] == '.' ? type[..^1] : type;
        bool initial = Initial.IsMatch(tok);
        if (!initial && typeNoPeriod != "##number##") return true;
        bool nextIsPunct = next is ";" or ":" or "," or "." or "!" or "?";
        if (nextIsPunct || char.IsLower(next[0])) return false;
        if (initial && char.IsUpper(next[0])) return false;
        return true;
    }
}
