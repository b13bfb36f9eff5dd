// The `ifmt` reward: the share of a record's IF-MT instructions (`instructions`: [{id, args}], the format of
// samples/eval/ifmt.jsonl) that the completion follows, each checked by the verifier `pharos eval`'s IF-MT suite uses;
// abstains when the record has no list.
using System.Text.Json.Nodes;
using Pharos.Models.Errors;

namespace Pharos.Training.Rewards;

public sealed class IfMtInstructionsReward(string column = "instructions") : IRewardFunction
{
    readonly Dictionary<string, VerifierReward> verifiers = new(StringComparer.Ordinal);

    public string Name => "ifmt";

    public double? Score(RewardInput input)
    {
        if (input.Record[column] is not JsonArray { Count: > 0 } list) return null;
        double sum = 0;
        foreach (var item in list)
        {
            var id = (string?)item?["id"] ?? throw new PharosException($"reward ifmt: every entry of '{column}' needs an 'id' (got {item?.ToJsonString() ?? "null"})");
            if (!verifiers.TryGetValue(id, out var verifier))
                verifiers[id] = verifier = new VerifierReward(id, column);
            var args = item!["args"] is JsonObject given ? (JsonObject)given.DeepClone() : new JsonObject();
            sum += verifier.Score(input, args);
        }
        return sum / list.Count;
    }
}
