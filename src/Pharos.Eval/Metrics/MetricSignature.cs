// sacrebleu's reproducibility signature: ordered key:value fields ("nrefs:1|case:mixed|...|version:2.6.0"), long or short form.
namespace Pharos.Eval.Metrics;

public sealed class MetricSignature
{
    /// <summary>
    /// The sacrebleu release whose numbers Pharos reproduces (checked by the fixtures); signatures carry it so a
    /// score printed by Pharos reads exactly like one printed by that sacrebleu.
    /// </summary>
    public const string SacreBleuVersion = "2.6.0";

    // Global fields in sacrebleu's order; metric fields follow; version always last.
    static readonly (string Key, string Abbr)[] GlobalKeys =
        [("nrefs", "#"), ("bs", "bs"), ("ar", "ar"), ("seed", "rs"), ("test", "t"), ("lang", "l"), ("origlang", "o"), ("subset", "S")];

    readonly Dictionary<string, string> _global = [];
    readonly List<(string Key, string Abbr, string Value)> _metric = [];

    public MetricSignature(int nrefs) => _global["nrefs"] = nrefs < 0 ? "var" : nrefs.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public MetricSignature Add(string key, string abbr, string value)
    {
        _metric.Add((key, abbr, value));
        return this;
    }

    public MetricSignature Add(string key, string abbr, bool value) => Add(key, abbr, value ? "yes" : "no");

    /// <summary>Sets a global field (bs, ar, seed, test, ...), as the paired tests do.</summary>
    public MetricSignature Set(string key, string value)
    {
        if (!GlobalKeys.Any(k => k.Key == key))
            throw new ArgumentException($"not a global signature field: {key}", nameof(key));
        _global[key] = value;
        return this;
    }

    public IEnumerable<(string Key, string Value)> Fields(bool shortNames = false)
    {
        foreach (var (key, abbr) in GlobalKeys)
            if (_global.TryGetValue(key, out var v))
                yield return (shortNames ? abbr : key, v);
        foreach (var (key, abbr, value) in _metric)
            yield return (shortNames ? abbr : key, value);
        yield return (shortNames ? "v" : "version", SacreBleuVersion);
    }

    public string Format(bool shortNames = false) => string.Join('|', Fields(shortNames).Select(f => $"{f.Key}:{f.Value}"));

    public override string ToString() => Format();
}
