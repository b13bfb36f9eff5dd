// The `ifeval` reward: the share of a record's instructions (IFEval format: instruction_id_list + kwargs) that the
// completion follows, strict mode, each checked by the same verifier `pharos eval` uses; abstains without a list.
using System.Text.Json.Nodes;

namespace Pharos.Training.Rewards;

public sealed class InstructionsReward(string column = "kwargs") : IRewardFunction
{
    readonly Dictionary<string, VerifierReward> verifiers = new(StringComparer.Ordinal);

    public string Name => "ifeval";

    public double? Score(RewardInput input)
    {
        if (input.Record["instruction_id_list"] is not JsonArray { Count: > 0 } ids) return null;
        double sum = 0;
        foreach (var id in ids.Select(x => (string?)x ?? ""))
        {
            if (!verifiers.TryGetValue(id, out var reward))
                verifiers[id] = reward = new VerifierReward(id, column);
            sum += reward.Score(input) ?? 0;
        }
        return sum / ids.Count;
    }
}
