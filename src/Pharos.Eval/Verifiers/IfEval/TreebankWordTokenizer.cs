// Port of nltk.word_tokenize (NLTKWordTokenizer over Punkt sentences), used by change_case:capital_word_frequency.
using System.Text.RegularExpressions;

namespace Pharos.Eval.Verifiers.IfEval;

/// <summary>The regex cascade of nltk 3.8's NLTKWordTokenizer, applied in nltk's order, per Punkt sentence.</summary>
public static class TreebankWordTokenizer
{
    static readonly (Regex, string)[] StartingQuotes =
    [
        (R("([«“‘„]|[`]+)"), " $1 "),
        (R("^\""), "``"),
        (R("(``)"), " $1 "),
        (R("([ \\(\\[{<])(\"|'{2})"), "$1 `` "),
        (R("(?i)(')(?!re|ve|ll|m|t|s|d|n)(" + PyText.Word + ")\\b"), "$1 $2"),
    ];

    static readonly (Regex, string)[] Punctuation =
    [
        (R("([^\\.])(\\.)([\\]\\)}>\"'»”’ ]*)\\s*$"), "$1 $2 $3 "),
        (R("([:,])([^\\d])"), " $1 $2"),
        (R("([:,])$"), " $1 "),
        (R("\\.{2,}"), " $0 "),
        (R("[;@#$%&]"), " $0 "),
        (R("([^\\.])(\\.)([\\]\\)}>\"']*)\\s*$"), "$1 $2$3 "),
        (R("[?!]"), " $0 "),
        (R("([^'])' "), "$1 ' "),
        (R("[*]"), " $0 "),
    ];

    static readonly Regex ParensBrackets = R("[\\]\\[\\(\\)\\{\\}\\<\\>]");
    static readonly Regex DoubleDashes = R("--");

    static readonly (Regex, string)[] EndingQuotes =
    [
        (R("([»”’])"), " $1 "),
        (R("''"), " '' "),
        (R("\""), " '' "),
        (R("([^' ])('[sS]|'[mM]|'[dD]|') "), "$1 $2 "),
        (R("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "), "$1 $2 "),
    ];

    static readonly Regex[] Contractions =
    [
        R("(?i)\\b(can)(not)\\b"), R("(?i)\\b(d)('ye)\\b"), R("(?i)\\b(gim)(me)\\b"), R("(?i)\\b(gon)(na)\\b"),
        R("(?i)\\b(got)(ta)\\b"), R("(?i)\\b(lem)(me)\\b"), R("(?i)\\b(more)('n)\\b"), R("(?i)\\b(wan)(na)(?=\\s)"),
        R("(?i) ('t)(is)\\b"), R("(?i) ('t)(was)\\b"),
    ];

    /// <summary>nltk.word_tokenize(text): sentences by Punkt, then the Treebank cascade on each.</summary>
    public static IEnumerable<string> Tokenize(string text) =>
        PunktSentenceSplitter.Split(text).SelectMany(TokenizeSentence);

    public static string[] TokenizeSentence(string text)
    {
        foreach (var (re, sub) in StartingQuotes) text = re.Replace(text, sub);
        foreach (var (re, sub) in Punctuation) text = re.Replace(text, sub);
        text = ParensBrackets.Replace(text, " $0 ");
        text = DoubleDashes.Replace(text, " -- ");
        text = " " + text + " ";
        foreach (var (re, sub) in EndingQuotes) text = re.Replace(text, sub);
        foreach (var re in Contractions) text = re.Replace(text, " $1 $2 ");
        return PyText.SplitWhitespace(text);
    }

    static Regex R(string pattern) => new(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
}
