// datatrove's WhitespaceTokenizer: spaCy's multi-language "xx" words, and sentences from its regex (text up to terminal punctuation or a newline).
using System.Text.RegularExpressions;
using Pharos.Curation.Text.SpaCy;

namespace Pharos.Curation.Text;

public sealed class WhitespaceTokenizer : IWordTokenizer
{
    static readonly Lazy<Regex> Sentence = new(() =>
    {
        // (?:(?:\p{Lu}\.)|.)+?[TERMINAL_PUNCTUATION\n]+["'”]? with classes over whole code points, as Python's regex module matches.
        var ends = CodePointSet.Of(Punctuation.Terminal.Select(cp => (cp, cp)).Append(('\n', '\n'))).ToPattern();
        var any = CodePointSet.Of([('\n', '\n')]).Complement().ToPattern();
        return new Regex($@"(?:(?:\p{{Lu}}\.)|{any})+?(?:{ends})+[""'\u201D]?", RegexOptions.Compiled | RegexOptions.CultureInvariant);
    });

    readonly IWordTokenizer _words;

    internal WhitespaceTokenizer(IWordTokenizer words) => _words = words;

    public string Name => "whitespace";

    public void Tokenize(string text, List<(int Start, int Length)> words) => _words.Tokenize(text, words);

    /// <summary>Regex matches that are not blank after strip (what datatrove's sent_tokenize keeps).</summary>
    public int CountSentences(string text)
    {
        var count = 0;
        for (var m = Sentence.Value.Match(text); m.Success; m = m.NextMatch())
            if (!PyText.Strip(m.ValueSpan).IsEmpty)
                count++;
        return count;
    }
}
