// GRPO's knobs under TRL's names, with TRL's defaults where they fit a CPU run.
using Pharos.Models.Errors;

namespace Pharos.Training.Objectives.Grpo;

public sealed record GrpoOptions
{
    /// <summary>G: completions sampled per prompt.</summary>
    public int NumGenerations { get; init; } = 8;
    public int MaxCompletionLength { get; init; } = 64;
    public double Temperature { get; init; } = 1.0;
    public int TopK { get; init; }
    public double TopP { get; init; } = 1.0;
    /// <summary>Lower clip range ε (ratio floor 1 − ε).</summary>
    public double Epsilon { get; init; } = 0.2;
    /// <summary>Upper clip range (ratio ceiling 1 + ε_high); null = epsilon (DAPO's clip-higher sets it apart).</summary>
    public double? EpsilonHigh { get; init; }
    /// <summary>KL coefficient; 0 = no KL term and no reference pass.</summary>
    public double Beta { get; init; }
    /// <summary>μ: optimizer steps taken on each batch of completions before sampling new ones.</summary>
    public int NumIterations { get; init; } = 1;
    /// <summary>group, batch or none: what the reward std is taken over.</summary>
    public string ScaleRewards { get; init; } = "group";
    public string LossType { get; init; } = "dapo";
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];

    public double High => EpsilonHigh ?? Epsilon;

    public void Validate()
    {
        if (NumGenerations < 2) throw new PharosException("grpo.num_generations must be ≥ 2 (advantages compare completions of one prompt)");
        if (MaxCompletionLength < 1) throw new PharosException("grpo.max_completion_length must be ≥ 1");
        if (Temperature <= 0) throw new PharosException("grpo.temperature must be > 0 (GRPO samples)");
        if (Epsilon is < 0 or >= 1 || High < 0) throw new PharosException("grpo.epsilon must be in [0, 1) and epsilon_high ≥ 0");
        if (Beta < 0) throw new PharosException("grpo.beta must be ≥ 0");
        if (NumIterations < 1) throw new PharosException("grpo.num_iterations must be ≥ 1");
        if (ScaleRewards is not ("group" or "batch" or "none")) throw new PharosException($"grpo.scale_rewards '{ScaleRewards}' is not group, batch or none");
        GrpoLosses.ByName(LossType);
    }
}
