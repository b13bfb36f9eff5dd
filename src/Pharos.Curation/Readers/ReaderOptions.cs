// Which fields a reader takes the text and id from, and how long HTML extraction may take per document.
namespace Pharos.Curation.Readers;

public sealed record ReaderOptions
{
    public string TextKey { get; init; } = "text";
    public string IdKey { get; init; } = "id";
    /// <summary>Plain text: one document per line instead of one per file.</summary>
    public bool TextPerLine { get; init; }
    public TimeSpan ExtractTimeout { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Upper bound on an HTML payload to extract; larger ones are quarantined (they are nearly never text).</summary>
    public int MaxHtmlBytes { get; init; } = 4 << 20;
}
