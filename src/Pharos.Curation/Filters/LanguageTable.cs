// All languages' thresholds: FineWeb2's 1,929 configs and the shipped YAML tables (embedded), a user's folder of <label>.yaml over them; lookup by label.
using Pharos.Curation.Errors;
using Pharos.Curation.Text;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Pharos.Curation.Filters;

public sealed class LanguageTable
{
    public const string DefaultKey = "default";
    readonly Dictionary<string, LanguageThresholds> _shipped = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<string, LanguageThresholds> _user = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<string, LanguageThresholds> _resolved = new(StringComparer.OrdinalIgnoreCase);
    readonly object _gate = new();

    LanguageTable() { }

    public LanguageThresholds Default => _user.GetValueOrDefault(DefaultKey) is { } user ? user.WithDefaults(_shipped[DefaultKey]) : _shipped[DefaultKey];

    public IEnumerable<string> Languages => _shipped.Values.Concat(_user.Values).Select(t => t.Language!).Where(l => l != DefaultKey)
        .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);

    /// <summary>
    /// FineWeb2's configs and the shipped YAML tables (default, en), then every *.yaml in <paramref name="overrides"/>: a user's
    /// table sets only the fields it names, over the shipped table of the same label (or the default).
    /// </summary>
    public static LanguageTable Load(string? overrides = null)
    {
        var table = new LanguageTable();
        foreach (var (name, thresholds) in FineWeb2Tables.All)
            table._shipped[name] = thresholds;
        var assembly = typeof(LanguageTable).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Pharos.Curation.Languages.", StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            Add(table._shipped, Parse(reader.ReadToEnd(), name));
        }
        if (overrides is not null)
        {
            if (!Directory.Exists(overrides))
                throw new RecipeException($"language table folder not found: {overrides}");
            foreach (var file in Directory.EnumerateFiles(overrides, "*.yaml").Order(StringComparer.Ordinal))
                Add(table._user, Parse(File.ReadAllText(file), file));
        }
        if (!table._shipped.ContainsKey(DefaultKey))
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

    static void Add(Dictionary<string, LanguageThresholds> tables, LanguageThresholds t)
    {
        tables[t.Language!] = t;
        foreach (var alias in t.Aliases ?? [])
            tables[alias] = t;
        // Also under the full label of the same language (a "de" table answers for deu_Latn), unless a table has that name.
        foreach (var mapped in Candidates(t.Language!).Skip(1))
            tables.TryAdd(mapped, t);
    }

    /// <summary>The thresholds for <paramref name="language"/> (any label: GlotLID's deu_Latn, lid.176's de, deu, pt-BR); the default when unknown.</summary>
    public LanguageThresholds For(string? language)
    {
        language ??= DefaultKey;
        lock (_gate)
        {
            if (_resolved.TryGetValue(language, out var cached))
                return cached;
            // A user's table for any name of the language (de.yaml for deu_Latn) goes over the shipped one.
            var user = Find(_user, language);
            var shipped = Find(_shipped, language);
            var resolved = (user is null ? shipped : user.WithDefaults(shipped ?? Default))?.WithDefaults(Default) ?? Default;
            _resolved[language] = resolved;
            return resolved;
        }
    }

    public bool Knows(string language) => Resolve(language) is not null;

    /// <summary>The table key a label resolves to (a user's table first), or null when none knows it.</summary>
    public string? Resolve(string language) => Candidates(language).FirstOrDefault(c => _user.ContainsKey(c)) ?? Candidates(language).FirstOrDefault(_shipped.ContainsKey);

    static LanguageThresholds? Find(Dictionary<string, LanguageThresholds> tables, string language) =>
        Candidates(language).Select(c => tables.GetValueOrDefault(c)).FirstOrDefault(t => t is not null);

    // The label itself, its base code (pt-BR → pt), and what lid.176's mapping or datatrove's default script makes of both.
    static IEnumerable<string> Candidates(string language)
    {
        foreach (var code in (string[])[language, BaseCode(language)])
        {
            yield return code;
            if ((FineWeb2Tables.Lid176Labels.GetValueOrDefault(code) ?? TokenizerAssignment.FullLabel(code)) is { } mapped)
                yield return mapped;
        }
    }

    // "pt-BR", "zh_Hant", "deu_Latn" → "pt", "zh", "deu".
    static string BaseCode(string code)
    {
        var cut = code.IndexOfAny(['-', '_']);
        return cut > 0 ? code[..cut] : code;
    }
}
