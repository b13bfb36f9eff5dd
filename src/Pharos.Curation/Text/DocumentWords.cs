// The words of the document being filtered, split once and shared by the filters that follow (datatrove caches split_into_words too).
namespace Pharos.Curation.Text;

public static class DocumentWords
{
    [ThreadStatic] static string? _text;
    [ThreadStatic] static IWordTokenizer? _tokenizer;
    [ThreadStatic] static List<(int Start, int Length)>? _words;

    /// <summary>The words of <paramref name="text"/> by <paramref name="tokenizer"/>; the same list while the same text object is asked for.</summary>
    public static List<(int Start, int Length)> Of(string text, IWordTokenizer tokenizer)
    {
        if (ReferenceEquals(text, _text) && ReferenceEquals(tokenizer, _tokenizer) && _words is not null)
            return _words;
        var words = new List<(int Start, int Length)>();
        tokenizer.Tokenize(text, words);
        (_text, _tokenizer, _words) = (text, tokenizer, words);
        return words;
    }
}
