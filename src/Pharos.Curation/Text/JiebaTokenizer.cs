// Chinese words as datatrove gets them (spaCy's zh tokenizer with segmenter "jieba"): jieba's default mode, checked against Python jieba 0.42.1.
//
// jieba cuts the text into blocks with re_han = [\u4E00-\u9FD5a-zA-Z0-9+#&._%-]+ and segments each block
// (JiebaSegmenter: dictionary DAG, best route, HMM); outside blocks "\r\n", every other whitespace character and every other
// character is a word of its own. spaCy then turns the words into tokens (get_words_and_spaces); datatrove strips them and
// drops the empty ones.
using System.Text.RegularExpressions;
using Pharos.Curation.Text.SpaCy;

namespace Pharos.Curation.Text;

public sealed partial class JiebaTokenizer : IWordTokenizer
{
    public static readonly JiebaTokenizer Instance = new();
    readonly Sentencizer _sentencizer = new();

    JiebaTokenizer() { }

    public string Name => "jieba";

    [GeneratedRegex(@"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")] private static partial Regex HanBlock();

    public void Tokenize(string text, List<(int Start, int Length)> words)
    {
        foreach (var (start, length) in Words(text))
            if (!PyText.Strip(text.AsSpan(start, length)).IsEmpty)
                words.Add((start, length));
    }

    public int CountSentences(string text) => _sentencizer.Count(text, SpacyTokens(text));

    // jieba.cut(text, cut_all=False, HMM=True) as (start, length) pieces of the text, whitespace pieces included.
    List<(int Start, int Length)> Words(string text)
    {
        var segmenter = JiebaSegmenter.Instance;
        var words = new List<(int Start, int Length)>();
        var at = 0;
        foreach (Match block in HanBlock().Matches(text))
        {
            Other(text, at, block.Index, words);
            var first = words.Count;
            segmenter.CutBlock(text.AsSpan(block.Index, block.Length), words);
            for (var w = first; w < words.Count; w++)
                words[w] = (words[w].Start + block.Index, words[w].Length);
            at = block.Index + block.Length;
        }
        Other(text, at, text.Length, words);
        return words;
    }

    // Text between blocks: "\r\n" and each other whitespace character are words, and so is every other character.
    static void Other(string text, int from, int to, List<(int Start, int Length)> words)
    {
        for (var i = from; i < to;)
        {
            if (text[i] == '\r' && i + 1 < to && text[i + 1] == '\n')
            {
                words.Add((i, 2));
                i += 2;
                continue;
            }
            var width = char.IsHighSurrogate(text[i]) && i + 1 < to && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            words.Add((i, width));
            i += width;
        }
    }

    // spaCy's get_words_and_spaces: the non-whitespace words, one ' ' after a word becomes its trailing space, any other
    // whitespace between words is a token of its own.
    List<(int Start, int Length)> SpacyTokens(string text)
    {
        var tokens = new List<(int Start, int Length)>();
        var position = 0;
        foreach (var (start, length) in Words(text))
        {
            if (IsAllSpace(text.AsSpan(start, length)))
                continue;
            if (start > position)
                tokens.Add((position, start - position));
            tokens.Add((start, length));
            position = start + length;
            if (position < text.Length && text[position] == ' ')
                position++;
        }
        if (position < text.Length)
            tokens.Add((position, text.Length - position));
        return tokens;
    }

    static bool IsAllSpace(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (!PyText.IsSpace(c))
                return false;
        return true;
    }
}
