// A language's word tokenizer as datatrove uses it: words (stripped, non-empty, as spans of the text) and a sentence count.
namespace Pharos.Curation.Text;

public interface IWordTokenizer
{
    /// <summary>What splits the words, e.g. "spacy:de", "jieba", "pharos" (the fallback rule).</summary>
    string Name { get; }

    /// <summary>Appends each word's (start, length) in <paramref name="text"/>; datatrove's word_tokenize.</summary>
    void Tokenize(string text, List<(int Start, int Length)> words);

    /// <summary>How many sentences <paramref name="text"/> has; the length of datatrove's split_into_sentences.</summary>
    int CountSentences(string text);
}
