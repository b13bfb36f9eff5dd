// LoRA settings with PEFT's names and meanings: rank r, lora_alpha, lora_dropout, target_modules, use_rslora.
using System.Text.RegularExpressions;

namespace Pharos.Training.Adapters;

public sealed record LoraOptions
{
    public static readonly IReadOnlyList<string> AllLinear = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    public int Rank { get; init; } = 16;
    public double Alpha { get; init; } = 32;
    public double Dropout { get; init; } = 0.05;
    /// <summary>Module names: a plain name matches any module whose name ends with it (PEFT's list form);
    /// an entry with regex characters must match the whole module name (PEFT's string form).</summary>
    public IReadOnlyList<string> TargetModules { get; init; } = AllLinear;
    /// <summary>rsLoRA: scale by alpha/√r instead of alpha/r.</summary>
    public bool UseRsLora { get; init; }

    public double Scale => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    public bool Targets(string moduleName) => TargetModules.Any(t =>
        t.IndexOfAny(['*', '[', '(', '|', '^', '$', '?', '+', '\\']) >= 0
            ? Regex.IsMatch(moduleName, "^(?:" + t + ")$")
            : moduleName == t || moduleName.EndsWith("." + t, StringComparison.Ordinal));
}
