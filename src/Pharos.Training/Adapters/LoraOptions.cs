// LoRA settings with PEFT's names and meanings: rank r, lora_alpha, lora_dropout, target_modules, use_rslora, use_dora,
// modules_to_save.
namespace Pharos.Training.Adapters;

public sealed record LoraOptions
{
    /// <summary>Every projection of a decoder layer by name (PEFT would write the same list for all-linear on these models).</summary>
    public static readonly IReadOnlyList<string> DefaultTargets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    public int Rank { get; init; } = 16;
    public double Alpha { get; init; } = 32;
    public double Dropout { get; init; } = 0.05;
    /// <summary>Which Linear modules get an adapter, in any of PEFT's forms (names, regex, all-linear).</summary>
    public TargetModules TargetModules { get; init; } = TargetModules.Names(DefaultTargets);
    /// <summary>rsLoRA: scale by alpha/√r instead of alpha/r.</summary>
    public bool UseRsLora { get; init; }
    /// <summary>DoRA: a trained magnitude per output row rescales the adapted weight (W + ΔW) to unit row norm.</summary>
    public bool UseDora { get; init; }
    /// <summary>Modules whose own weights the adapter carries whole (PEFT: a module matches when its name ends with an entry).</summary>
    public IReadOnlyList<string> ModulesToSave { get; init; } = [];

    public double Scale => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;

    public bool Targets(string moduleName, bool isOutputLayer = false) =>
        !IsSavedWhole(moduleName) && TargetModules.Matches(moduleName, isOutputLayer);

    /// <summary>PEFT's modules_to_save test (plain suffix, as its _set_trainable does); such modules never get an adapter.</summary>
    public bool IsSavedWhole(string moduleName) => ModulesToSave.Any(m => moduleName.EndsWith(m, StringComparison.Ordinal));
}
