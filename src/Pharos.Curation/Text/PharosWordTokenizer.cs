// The fallback word tokenizer for labels whose datatrove tokenizer cannot run here (Stanza, IndicNLP, pythainlp, Kiwi, …): Pharos's own WordSplitter rule.
using System.Text.RegularExpressions;

namespace Pharos.Curation.Text;

public sealed partial class PharosWordTokenizer : IWordTokenizer
{
    public static readonly PharosWordTokenizer Instance = new();

    public string Name => "pharos";

    public void Tokenize(string text, List<(int Start, int Length)> words) => WordSplitter.Split(text, words);

    // A sentence ends after . ! ? or any terminal punctuation followed by whitespace.
    public int CountSentences(string text) => SentenceEnd().Split(text).Count(s => !PyText.Strip(s).IsEmpty);

    [GeneratedRegex(@"(?<=[.!?\u0964\u0965\u3002\uFF01\uFF1F\u061F\u06D4\u1362])\s+")] private static partial Regex SentenceEnd();
}
