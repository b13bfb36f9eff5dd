// One named source of a stage's mix: its files (or folders of them, such as a curation output), its share, and optionally
// FineWeb2 rehydration weights that repeat each document by its MinHash cluster size.
namespace Pharos.Training.Datasets;

/// <param name="Name">how the mix report calls it (e.g. "translation")</param>
/// <param name="Paths">JSONL (.gz/.zst) or Parquet files, folders holding them, or token-shard folders made by `pharos data tokenize`</param>
/// <param name="Share">relative weight in the mix</param>
/// <param name="Rehydration">weights file written by `pharos curate rehydrate` (cluster size → copies), or null</param>
public sealed record DataSource(string Name, IReadOnlyList<string> Paths, double Share = 1.0, string? Rehydration = null);
