// Metadata field names shared with datatrove/FineWeb2 outputs, in one place so readers, steps and writers agree.
namespace Pharos.Curation;

public static class MetadataKeys
{
    public const string Language = "language";
    public const string LanguageScript = "language_script";
    public const string LanguageScore = "language_score";
    public const string TopLanguagePairs = "top_langs";
    public const string Url = "url";
    public const string ClusterSize = "minhash_cluster_size";
    public const string DropReason = "filter_reason";
    public const string Date = "date";
}
