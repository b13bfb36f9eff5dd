// Picks the word tokenizer datatrove would use for a language label (its tokenizer assignment), or says which it cannot run and uses the fallback.
using System.Collections.Concurrent;
using Pharos.Curation.Text.SpaCy;

namespace Pharos.Curation.Text;

public static class WordTokenizers
{
    static readonly ConcurrentDictionary<string, IWordTokenizer> ByLabel = new(StringComparer.Ordinal);
    static readonly Lazy<WhitespaceTokenizer> Whitespace = new(() => new WhitespaceTokenizer(SpacyData.Tokenizer("xx")!));

    /// <summary>
    /// The tokenizer for <paramref name="label"/> (deu_Latn, de, cmn_Hani): spaCy's rule-based tokenizer for the assigned spaCy
    /// language, jieba for Chinese, datatrove's WhitespaceTokenizer (spaCy "xx" words, regex sentences) where datatrove assigns
    /// it and for labels it has no assignment for (datatrove raises there); Pharos's own rule (<see cref="PharosWordTokenizer"/>) where datatrove uses a library that
    /// cannot run here (<see cref="Unavailable"/>).
    /// </summary>
    public static IWordTokenizer For(string? label) => ByLabel.GetOrAdd(label ?? "", Build);

    /// <summary>Why datatrove's tokenizer for <paramref name="label"/> is not used, or null when it is.</summary>
    public static string? Unavailable(string? label)
    {
        var assigned = label is null ? null : Assigned(label);
        return assigned switch
        {
            null => null,
            { Type: "SpaCyTokenizer", Code: "ja" } => "datatrove's Japanese tokenizer needs SudachiPy",
            { Type: "SpaCyTokenizer", Code: "vi" } => "spaCy's Vietnamese tokenizer needs pyvi",
            { Type: "SpaCyTokenizer" or "WhitespaceTokenizer" } => null,
            { Type: var type } => $"datatrove's {type} needs a library that does not run in .NET",
        };
    }

    static IWordTokenizer Build(string label)
    {
        var assigned = Assigned(label);
        return assigned switch
        {
            null or { Type: "WhitespaceTokenizer" } => Whitespace.Value,
            { Type: "SpaCyTokenizer", Code: "zh" } => JiebaTokenizer.Instance,
            { Type: "SpaCyTokenizer", Code: var code } => SpacyData.Tokenizer(code) ?? (IWordTokenizer)PharosWordTokenizer.Instance,
            _ => PharosWordTokenizer.Instance,
        };
    }

    // datatrove looks labels up as given; lid.176's codes and bare ISO 639-3 codes are in the same table.
    static AssignedTokenizer? Assigned(string label) => TokenizerAssignment.For(label)
        ?? (label.IndexOfAny(['-', '_']) is > 0 and var cut ? TokenizerAssignment.For(label[..cut]) : null);
}
