// The Llama-3-8B-shaped model of configs/memory/llama3-8b-lora.yaml, built in memory directly in bfloat16 (no float32 copy,
// no 16 GB file), that `memory` and `sparselora --llama3-8b` take LoRA steps of, and whether this machine has room for it.
using Pharos.Models.Transformer;
using Pharos.Training.Recipes;
using Pharos.Training.Tokenizer;
using static TorchSharp.torch;

namespace Pharos.Bench;

internal static class EightBModel
{
    public static Recipe LoadRecipe() => RecipeBinder.Load(Path.Combine(BenchArgs.RepoRoot(), "configs", "memory", "llama3-8b-lora.yaml"));

    public static CausalLM Create(Recipe recipe) => NewModel.Create(recipe.Model.New!,
        TokenizerLoader.Load(Path.Combine(BenchArgs.RepoRoot(), recipe.Model.Tokenizer)), recipe.Seed, bfloat16, CPU);

    /// <summary>The line a benchmark prints instead of building the model when less than the ~19 GB one checkpointed LoRA step
    /// needs is available; null when there is room.</summary>
    public static string? NoRoom(string bench)
    {
        double available = AvailableGb();
        return available < 19 ? $"{bench}: skipped, {available:F1} GB available (needs about 19; run it when the machine is quiet)" : null;
    }

    public static double AvailableGb()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1e6;
    }
}
