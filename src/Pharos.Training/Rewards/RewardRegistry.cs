// Reward functions by the names recipes use; an unknown name is a start-up error that lists the known ones.
using Pharos.Eval.Metrics;
using Pharos.Eval.Verifiers;
using Pharos.Models.Errors;

namespace Pharos.Training.Rewards;

/// <param name="Name">registry name (contains, ends_with, chrf, bleu, comet, cometkiwi, length_penalty, target_script, ifeval, ifmt, or a verifier id)</param>
/// <param name="Column">record column the function reads; empty = its default</param>
/// <param name="Model">model folder of a neural reward (comet, cometkiwi)</param>
/// <param name="Encoder">folder of that model's encoder tokenizer/config when the model folder and Hugging Face cache lack them</param>
/// <param name="Device">where a neural reward runs (cpu, cuda)</param>
public sealed record RewardSpec(string Name, double Weight = 1.0, string Column = "", string Model = "", string Encoder = "", string Device = "cpu");

public static class RewardRegistry
{
    static readonly Dictionary<string, Func<RewardSpec, IRewardFunction>> Factories = new(StringComparer.Ordinal)
    {
        ["contains"] = s => new ContainsReward(Col(s, "answer")),
        ["ends_with"] = s => new EndsWithReward(Col(s, "answer")),
        ["chrf"] = s => new MetricReward("chrf", new ChrF(), Col(s, "reference")),
        ["bleu"] = s => new MetricReward("bleu", new Bleu(effectiveOrder: true), Col(s, "reference")),
        ["length_penalty"] = s => new LengthPenaltyReward(Col(s, "reference")),
        ["target_script"] = s => new ScriptReward(Col(s, "target_lang")),
        ["ifeval"] = s => new InstructionsReward(Col(s, "kwargs")),
        ["ifmt"] = s => new IfMtInstructionsReward(Col(s, "instructions")),
        ["comet"] = s => new CometReward("comet", s.Model, s.Column, s.Encoder.Length > 0 ? s.Encoder : null, s.Device),
        ["cometkiwi"] = s => new CometReward("cometkiwi", s.Model, s.Column, s.Encoder.Length > 0 ? s.Encoder : null, s.Device),
    };

    /// <summary>The named rewards, then every Eval verifier id (keywords:existence, math:final_answer, translation:glossary, …).</summary>
    public static IReadOnlyList<string> Names =>
        [.. Factories.Keys.Order(StringComparer.Ordinal), .. VerifierRegistry.Ids.Order(StringComparer.Ordinal)];

    public static IRewardFunction Create(RewardSpec spec) =>
        Factories.TryGetValue(spec.Name, out var make) ? make(spec)
        : VerifierRegistry.Ids.Contains(spec.Name) ? new VerifierReward(spec.Name, Col(spec, "kwargs"))
        : throw new PharosException($"reward '{spec.Name}' is not known (known: {string.Join(", ", Factories.Keys.Order(StringComparer.Ordinal))}, or any verifier id such as keywords:existence, math:final_answer, translation:glossary)");

    public static RewardSet Build(IReadOnlyList<RewardSpec> specs, Action<string>? log = null)
    {
        if (specs.Count == 0) throw new PharosException("grpo.rewards is empty: name at least one reward function");
        return new RewardSet(specs.Select(s => new WeightedReward(Create(s), s.Weight)).ToList(), log);
    }

    static string Col(RewardSpec s, string fallback) => s.Column.Length > 0 ? s.Column : fallback;
}
