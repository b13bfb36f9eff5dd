// The `pharos curate` recipe (YAML): inputs, outputs, workers, stages of steps or MinHash dedup, Slurm settings. Unknown keys are errors.
using Pharos.Curation.Errors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Pharos.Curation.Pipeline;

public sealed class CurationRecipe
{
    [YamlMember(Alias = "input")] public InputSection Input { get; set; } = new();
    [YamlMember(Alias = "output")] public OutputSection Output { get; set; } = new();
    /// <summary>Folder of &lt;lang&gt;.yaml tables overriding the shipped ones.</summary>
    [YamlMember(Alias = "language_tables")] public string? LanguageTables { get; set; }
    [YamlMember(Alias = "workers")] public int Workers { get; set; } = 1;
    [YamlMember(Alias = "stages")] public List<StageSection> Stages { get; set; } = [];
    [YamlMember(Alias = "slurm")] public SlurmSection Slurm { get; set; } = new();

    /// <summary>Folder relative paths are resolved against (the recipe file's folder).</summary>
    [YamlIgnore] public string BaseDir { get; set; } = Directory.GetCurrentDirectory();

    public string Resolve(string path) => Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(BaseDir, path));

    public static CurationRecipe Load(string path)
    {
        if (!File.Exists(path))
            throw new RecipeException($"recipe not found: {path}");
        var recipe = Parse(File.ReadAllText(path), path);
        recipe.BaseDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return recipe;
    }

    public static CurationRecipe Parse(string yaml, string source)
    {
        try
        {
            var recipe = new DeserializerBuilder().Build().Deserialize<CurationRecipe>(yaml) ?? new CurationRecipe();
            recipe.Validate(source);
            return recipe;
        }
        catch (YamlException e)
        {
            // YamlDotNet names the unknown key ("Property 'x' not found on type ...") in the message or its inner exception.
            throw new RecipeException($"{source}: {(e.InnerException ?? e).Message}");
        }
    }

    void Validate(string source)
    {
        if (Input.Paths.Count == 0)
            throw new RecipeException($"{source}: input.paths is empty");
        if (Stages.Count == 0)
            throw new RecipeException($"{source}: no stages");
        if (Workers < 1)
            throw new RecipeException($"{source}: workers must be at least 1");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in Stages)
        {
            if (string.IsNullOrWhiteSpace(s.Name) || s.Name.StartsWith('_') || s.Name.Contains('/'))
                throw new RecipeException($"{source}: every stage needs a name (no '/', not starting with '_')");
            if (!names.Add(s.Name))
                throw new RecipeException($"{source}: stage name \"{s.Name}\" used twice");
            if ((s.Steps is null) == (s.MinHash is null))
                throw new RecipeException($"{source}: stage \"{s.Name}\" needs exactly one of steps or minhash");
        }
    }
}

public sealed class InputSection
{
    [YamlMember(Alias = "paths")] public List<string> Paths { get; set; } = [];
    [YamlMember(Alias = "format")] public string Format { get; set; } = "auto";
    [YamlMember(Alias = "text_key")] public string TextKey { get; set; } = "text";
    [YamlMember(Alias = "id_key")] public string IdKey { get; set; } = "id";
    [YamlMember(Alias = "text_per_line")] public bool TextPerLine { get; set; }
    [YamlMember(Alias = "extract_timeout_s")] public double ExtractTimeoutSeconds { get; set; } = 2;
}

public sealed class OutputSection
{
    [YamlMember(Alias = "dir")] public string Dir { get; set; } = "curated";
    [YamlMember(Alias = "format")] public string Format { get; set; } = "jsonl.zst";
    [YamlMember(Alias = "save_rejected")] public bool SaveRejected { get; set; } = true;
}

public sealed class StageSection
{
    [YamlMember(Alias = "name")] public string Name { get; set; } = "";
    /// <summary>Each step is a one-key map: step name → its options.</summary>
    [YamlMember(Alias = "steps")] public List<Dictionary<string, Dictionary<string, object>?>>? Steps { get; set; }
    [YamlMember(Alias = "minhash")] public MinHashSection? MinHash { get; set; }
}

public sealed class MinHashSection
{
    [YamlMember(Alias = "ngram")] public int NGram { get; set; } = 5;
    [YamlMember(Alias = "bands")] public int Bands { get; set; } = 14;
    [YamlMember(Alias = "rows")] public int Rows { get; set; } = 8;
    [YamlMember(Alias = "seed")] public ulong Seed { get; set; } = 1;
    /// <summary>"datatrove" (numpy RandomState constants: signatures equal to datatrove's) or "splitmix" (Pharos before 2026-12).</summary>
    [YamlMember(Alias = "permutations")] public string Permutations { get; set; } = "datatrove";
    /// <summary>Clustering runs per language; this many tasks split the languages between them.</summary>
    [YamlMember(Alias = "cluster_tasks")] public int ClusterTasks { get; set; } = 1;
}

public sealed class SlurmSection
{
    [YamlMember(Alias = "partition")] public string? Partition { get; set; }
    [YamlMember(Alias = "time")] public string Time { get; set; } = "24:00:00";
    [YamlMember(Alias = "cpus_per_task")] public int CpusPerTask { get; set; } = 1;
    [YamlMember(Alias = "mem_per_cpu")] public string? MemPerCpu { get; set; }
    [YamlMember(Alias = "max_array_size")] public int MaxArraySize { get; set; } = 1001;
    [YamlMember(Alias = "sbatch_args")] public List<string> SbatchArgs { get; set; } = [];
}
