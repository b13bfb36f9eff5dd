// A GRPO reward from one Eval verifier (IFEval types, math:final_answer, translation:*), named by its id in recipes.
// Arguments come from the record: IFEval-style `instruction_id_list` + `kwargs` lists (abstains when the id is not
// listed), or an object in the configured column; translation verifiers also get the record's source and languages.
using System.Text.Json.Nodes;
using Pharos.Eval.Verifiers;
using Pharos.Eval.Verifiers.Translation;

namespace Pharos.Training.Rewards;

public sealed class VerifierReward(string verifierId, string column = "kwargs") : IRewardFunction
{
    readonly IVerifier verifier = VerifierRegistry.Create(verifierId);

    public string Name => verifierId;

    public double? Score(RewardInput input)
    {
        var args = Arguments(input.Record);
        return args is null ? null : Score(input, args);
    }

    /// <summary>The verdict with the given arguments (a copy the translation verifiers may fill with the record's source and languages).</summary>
    public double Score(RewardInput input, JsonObject args)
    {
        TranslationArguments.Fill(verifierId, args, input.Column("source"), input.Column("source_lang"), input.Column("target_lang"));
        return verifier.Check(input.Prompt, input.Completion, args).Score;
    }

    JsonObject? Arguments(JsonObject record)
    {
        if (record["instruction_id_list"] is JsonArray ids)
        {
            int index = ids.Select(x => (string?)x).ToList().IndexOf(verifierId);
            if (index < 0) return null;
            return (record[column] as JsonArray)?[index] is JsonObject listed ? (JsonObject)listed.DeepClone() : new JsonObject();
        }
        return record[column] is JsonObject args ? (JsonObject)args.DeepClone() : null;
    }
}
