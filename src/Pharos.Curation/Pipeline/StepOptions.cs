// A step's options from the recipe, read by name with defaults; any option left unread is reported as an unknown key.
using System.Globalization;
using Pharos.Curation.Errors;

namespace Pharos.Curation.Pipeline;

public sealed class StepOptions(string step, Dictionary<string, object>? values, Func<string, string> resolvePath)
{
    readonly Dictionary<string, object> _values = values ?? [];
    readonly HashSet<string> _read = [];

    public string Step => step;

    public bool Has(string key) => _values.ContainsKey(key);

    public string? String(string key, string? fallback = null) => Get(key) is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) : fallback;

    public string? Path(string key) => String(key) is { } p ? resolvePath(p) : null;

    public double Double(string key, double fallback) => Get(key) is { } v ? Parse(key, v, s => double.Parse(s, CultureInfo.InvariantCulture)) : fallback;

    public double? NullableDouble(string key) => Get(key) is { } v ? Parse(key, v, s => double.Parse(s, CultureInfo.InvariantCulture)) : null;

    public int Int(string key, int fallback) => Get(key) is { } v ? Parse(key, v, s => int.Parse(s, CultureInfo.InvariantCulture)) : fallback;

    public bool Bool(string key, bool fallback) => Get(key) is { } v ? Parse(key, v, bool.Parse) : fallback;

    public List<string> List(string key)
    {
        var v = Get(key);
        if (v is null)
            return [];
        if (v is IEnumerable<object> items)
            return [.. items.Select(i => Convert.ToString(i, CultureInfo.InvariantCulture)!)];
        throw new RecipeException($"step {step}: option {key} must be a list");
    }

    /// <summary>A list given inline (key) and/or as a file with one entry per line (key_file).</summary>
    public List<string> ListOrFile(string key)
    {
        var list = List(key);
        if (Path(key + "_file") is { } file)
        {
            if (!File.Exists(file))
                throw new RecipeException($"step {step}: {key}_file not found: {file}");
            list.AddRange(File.ReadLines(file).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
        }
        return list;
    }

    public Dictionary<string, object> Remaining() => _values.Where(p => !_read.Contains(p.Key)).ToDictionary();

    public void EnsureAllRead()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new RecipeException($"step {step}: unknown option {string.Join(", ", unknown)}");
    }

    object? Get(string key)
    {
        _read.Add(key);
        return _values.GetValueOrDefault(key);
    }

    T Parse<T>(string key, object v, Func<string, T> parse)
    {
        try { return parse(Convert.ToString(v, CultureInfo.InvariantCulture)!); }
        catch (FormatException) { throw new RecipeException($"step {step}: option {key} has a bad value \"{v}\""); }
    }
}
