// The record that flows through curation: text, a stable id, metadata, and where it came from (file + byte offset).
namespace Pharos.Curation;

public sealed class Document
{
    public Document(string text, string id, Dictionary<string, object?>? metadata = null)
    {
        Text = text;
        Id = id;
        Metadata = metadata ?? new Dictionary<string, object?>(StringComparer.Ordinal);
    }

    /// <summary>The text; formatters (encoding fixes, PII, table cleanup) replace it.</summary>
    public string Text { get; set; }
    public string Id { get; }
    /// <summary>Everything else: source fields, url, language, language_score, minhash_cluster_size…</summary>
    public Dictionary<string, object?> Metadata { get; }
    /// <summary>Input file this record was read from (not written out).</summary>
    public string? SourceFile { get; init; }
    /// <summary>Byte offset of the record in its (decompressed) input stream.</summary>
    public long SourceOffset { get; init; }

    /// <summary>Language code written by language ID (metadata "language"), or null before it ran.</summary>
    public string? Language => Metadata.TryGetValue(MetadataKeys.Language, out var v) ? v as string : null;

    /// <summary>
    /// The language with its script as one label, as FineWeb2 names its configs: GlotLID's ("deu", "Latn") → "deu_Latn",
    /// lid.176's ("de", "Latn") → "de_Latn"; the language alone when it already has a script or none was written.
    /// </summary>
    public string? LanguageLabel => Language is { } language && !language.Contains('_')
        && Metadata.TryGetValue(MetadataKeys.LanguageScript, out var s) && s is string { Length: 4 } script ? $"{language}_{script}" : Language;

    public double? GetDouble(string key) => Metadata.TryGetValue(key, out var v) ? v switch
    {
        double d => d,
        float f => f,
        long l => l,
        int i => i,
        _ => null,
    } : null;
}
