// A chain of stage recipes (`chain: [cpt.yaml, sft.yaml, …]`, paths relative to the chain file) or a single stage recipe,
// as `pharos recipe run` reads it.
using Pharos.Models.Errors;

namespace Pharos.Training.Recipes;

public sealed class RecipeChain
{
    public List<string> Chain { get; set; } = [];

    /// <summary>The stage recipe files of <paramref name="path"/>, in order: its chain, or the file itself when it is one stage.</summary>
    public static IReadOnlyList<string> StageFiles(string path)
    {
        if (!File.Exists(path)) throw new PharosException($"{path}: recipe file does not exist");
        var text = File.ReadAllText(path);
        if (!IsChain(text)) return [Path.GetFullPath(path)];
        var chain = RecipeBinder.Parse<RecipeChain>(text, source: path);
        if (chain.Chain.Count == 0) throw new RecipeException("chain", "lists no stage recipes");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return chain.Chain.Select(f => Path.GetFullPath(Path.Combine(folder, f))).ToList();
    }

    public static bool IsChain(string yaml) => yaml.Split('\n').Any(l => l.StartsWith("chain:", StringComparison.Ordinal));
}
