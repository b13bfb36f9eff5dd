// spaCy's rule-based sentencizer over a tokenizer's tokens: after a sentence-final character, the next token that is not punctuation starts a sentence.
using System.Collections.Frozen;
using System.Globalization;

namespace Pharos.Curation.Text.SpaCy;

internal sealed class Sentencizer
{
    /// <summary>The number of sentences: the first token starts one, and so does each first non-punctuation token after a token in punct_chars.</summary>
    public int Count(string text, List<(int Start, int Length)> tokens)
    {
        if (tokens.Count == 0)
            return 0;
        var punctChars = SpacyData.SentencePunctuation;
        var lookup = punctChars.GetAlternateLookup<ReadOnlySpan<char>>();
        var sentences = 1;
        var start = 0;
        var seenPeriod = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = text.AsSpan(tokens[i].Start, tokens[i].Length);
            var isEnd = lookup.Contains(token);
            if (seenPeriod && !isEnd && !IsPunct(token))
            {
                if (i != start)
                    sentences++;
                start = i;
                seenPeriod = false;
            }
            else if (isEnd)
                seenPeriod = true;
        }
        return sentences;
    }

    // spaCy's is_punct lexical attribute: every character's Unicode category is P*.
    static bool IsPunct(ReadOnlySpan<char> token)
    {
        for (var i = 0; i < token.Length; i++)
        {
            var cp = WordSplitter.CodePoint(token, i, out var width);
            if (CharUnicodeInfo.GetUnicodeCategory(cp) is not (UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
                or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation))
                return false;
            i += width - 1;
        }
        return true;
    }
}
