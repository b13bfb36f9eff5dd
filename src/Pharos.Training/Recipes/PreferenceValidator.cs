// Start-up checks of the dpo: and grpo: blocks: names (loss types, reward functions) and ranges, each error naming its key.
using Pharos.Models.Errors;
using Pharos.Training.Objectives.Dpo;
using Pharos.Training.Objectives.Grpo;
using Pharos.Training.Rewards;

namespace Pharos.Training.Recipes;

public static class PreferenceValidator
{
    public static void Dpo(DpoSection d)
    {
        if (!PreferenceLosses.Names.Contains(d.LossType)) throw new RecipeException("dpo.loss_type", $"'{d.LossType}' is not one of {string.Join(", ", PreferenceLosses.Names)}");
        if (!(d.Beta > 0)) throw new RecipeException("dpo.beta", $"must be positive (got {d.Beta})");
        if (d.LabelSmoothing is < 0 or >= 0.5) throw new RecipeException("dpo.label_smoothing", $"must be in [0, 0.5) (got {d.LabelSmoothing})");
        if (d.LabelSmoothing > 0 && !PreferenceLosses.ByName(d.LossType).UsesLabelSmoothing)
            throw new RecipeException("dpo.label_smoothing", $"applies to loss_type robust (TRL ≥ 1.0's {d.LossType} has no label smoothing)");
        if (d.RpoAlpha < 0) throw new RecipeException("dpo.rpo_alpha", $"must not be negative (got {d.RpoAlpha})");
    }

    public static void Grpo(GrpoSection g)
    {
        try
        {
            Options(g).Validate();
        }
        catch (PharosException e)
        {
            throw new RecipeException("grpo", e.Message);
        }
        if (g.Rewards.Count == 0) throw new RecipeException("grpo.rewards", "name at least one reward function");
        for (int i = 0; i < g.Rewards.Count; i++)
        {
            if (!RewardRegistry.Names.Contains(g.Rewards[i].Name))
                throw new RecipeException($"grpo.rewards[{i}].name", $"reward '{g.Rewards[i].Name}' is not known (known: {string.Join(", ", RewardRegistry.Names)})");
            if (g.Rewards[i].Name is "comet" or "cometkiwi" && g.Rewards[i].Model.Length == 0)
                throw new RecipeException($"grpo.rewards[{i}].model", $"reward '{g.Rewards[i].Name}' needs the COMET model folder (hparams.yaml + checkpoints/model.ckpt)");
        }
    }

    public static GrpoOptions Options(GrpoSection g, IReadOnlyList<int>? stopIds = null) => new()
    {
        NumGenerations = g.NumGenerations, MaxCompletionLength = g.MaxCompletionLength, Temperature = g.Temperature, TopK = g.TopK, TopP = g.TopP,
        Epsilon = g.Epsilon, EpsilonHigh = g.EpsilonHigh, Beta = g.Beta, NumIterations = g.NumIterations, ScaleRewards = g.ScaleRewards,
        LossType = g.LossType, StopTokenIds = stopIds ?? [],
    };
}
