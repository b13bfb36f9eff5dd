// All languages' thresholds: the shipped YAML tables (embedded), overridable by a folder of <lang>.yaml files; lookup by code or alias.
using Pharos.Curation.Errors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Pharos.Curation.Filters;

public sealed class LanguageTable
{
    public const string DefaultKey = "default";
    readonly Dictionary<string, LanguageThresholds> _byCode = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<string, LanguageThresholds> _resolved = new(StringComparer.OrdinalIgnoreCase);
    readonly object _gate = new();

    LanguageTable() { }

    public LanguageThresholds Default => _byCode[DefaultKey];

    public IEnumerable<string> Languages => _byCode.Values.Select(t => t.Language!).Where(l => l != DefaultKey).Distinct().Order();

    /// <summary>The shipped tables, then every *.yaml in <paramref name="overrides"/> (replacing a shipped language whole).</summary>
    public static LanguageTable Load(string? overrides = null)
    {
        var table = new LanguageTable();
        var assembly = typeof(LanguageTable).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Pharos.Curation.Languages.", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            table.Add(Parse(reader.ReadToEnd(), name));
        }
        if (overrides is not null)
        {
            if (!Directory.Exists(overrides))
                throw new RecipeException($"language table folder not found: {overrides}");
            foreach (var file in Directory.EnumerateFiles(overrides, "*.yaml").Order())
                table.Add(Parse(File.ReadAllText(file), file));
        }
        if (!table._byCode.ContainsKey(DefaultKey))
            throw new RecipeException("language tables: no \"default\" table");
        return table;
    }

    public static LanguageThresholds Parse(string yaml, string source)
    {
        var deserializer = new DeserializerBuilder().Build(); // unknown keys are an error that names the key
        try
        {
            var t = deserializer.Deserialize<LanguageThresholds>(yaml) ?? throw new RecipeException($"{source}: empty language table");
            if (string.IsNullOrWhiteSpace(t.Language))
                throw new RecipeException($"{source}: missing \"language\"");
            return t;
        }
        catch (YamlException e)
        {
            throw new RecipeException($"{source}: {e.Message} {e.InnerException?.Message}".Trim());
        }
    }

    void Add(LanguageThresholds t)
    {
        _byCode[t.Language!] = t;
        foreach (var alias in t.Aliases ?? [])
            _byCode[alias] = t;
    }

    /// <summary>The thresholds for <paramref name="language"/> merged with the default; the default alone when unknown.</summary>
    public LanguageThresholds For(string? language)
    {
        language ??= DefaultKey;
        lock (_gate)
        {
            if (_resolved.TryGetValue(language, out var cached))
                return cached;
            var found = _byCode.GetValueOrDefault(language) ?? _byCode.GetValueOrDefault(BaseCode(language));
            var resolved = found is null ? Default : found.WithDefaults(Default);
            _resolved[language] = resolved;
            return resolved;
        }
    }

    public bool Knows(string language) => _byCode.ContainsKey(language) || _byCode.ContainsKey(BaseCode(language));

    // "pt-BR", "zh_Hant", "deu_Latn" → "pt", "zh", "deu".
    static string BaseCode(string code)
    {
        var cut = code.IndexOfAny(['-', '_']);
        return cut > 0 ? code[..cut] : code;
    }
}
