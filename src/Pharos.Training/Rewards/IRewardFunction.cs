// A GRPO reward: scores one completion given its prompt and every column of its dataset record; null = abstain
// (the function has nothing to say about this record, e.g. no reference column).
using System.Text.Json.Nodes;

namespace Pharos.Training.Rewards;

public sealed record RewardInput(string Prompt, string Completion, JsonObject Record)
{
    /// <summary>A string column of the record, or null when absent.</summary>
    public string? Column(string name) => Record[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

public interface IRewardFunction
{
    string Name { get; }
    double? Score(RewardInput input);
}
