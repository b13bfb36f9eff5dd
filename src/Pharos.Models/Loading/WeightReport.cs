// What loading a checkpoint into a model found: tensors missing from the checkpoint, unexpected extras, and shape mismatches.
namespace Pharos.Models.Loading;

public sealed record ShapeMismatch(string Name, long[] Expected, long[] Found);

public sealed record WeightReport(
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<ShapeMismatch> Mismatched,
    int Loaded)
{
    public bool IsComplete => Missing.Count == 0 && Mismatched.Count == 0;

    public string Describe(int limit = 5)
    {
        var parts = new List<string>();
        if (Missing.Count > 0) parts.Add($"missing {Missing.Count} tensor(s): {Sample(Missing, limit)}");
        if (Mismatched.Count > 0)
            parts.Add($"{Mismatched.Count} wrongly shaped: {Sample(Mismatched.Select(m => $"{m.Name} is [{string.Join(", ", m.Found)}], expected [{string.Join(", ", m.Expected)}]").ToList(), limit)}");
        if (Unexpected.Count > 0) parts.Add($"{Unexpected.Count} unexpected: {Sample(Unexpected, limit)}");
        return parts.Count == 0 ? $"all {Loaded} tensors loaded" : string.Join("; ", parts);
    }

    static string Sample(IReadOnlyList<string> items, int limit) =>
        string.Join(", ", items.Take(limit)) + (items.Count > limit ? $", … ({items.Count - limit} more)" : "");
}
