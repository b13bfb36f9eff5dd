// Reads positional/keyword arguments of a filter, test, method or function call by position or name, Python style.
namespace Pharos.Models.Tokenization.Jinja;

internal readonly struct JinjaArgs(string function, List<object?> args, Dictionary<string, object?> kwargs, int line)
{
    public int Line => line;
    public int Count => args.Count;

    /// <summary>The argument at <paramref name="index"/> or named <paramref name="name"/>; <paramref name="fallback"/> when absent.</summary>
    public object? Get(int index, string name, object? fallback = null) =>
        index < args.Count ? args[index] : kwargs.TryGetValue(name, out var v) ? v : fallback;

    public bool Has(int index, string name) => index < args.Count || kwargs.ContainsKey(name);

    public string? String(int index, string name, string? fallback = null) => Get(index, name, fallback) switch
    {
        null => null,
        string s => s,
        JinjaUndefined => fallback,
        var other => throw Error($"argument '{name}' must be a string, not {JinjaValues.TypeName(other)}"),
    };

    public long? Int(int index, string name, long? fallback = null) => Get(index, name, fallback) switch
    {
        null => null,
        long l => l,
        bool b => b ? 1 : 0,
        JinjaUndefined => fallback,
        var other => throw Error($"argument '{name}' must be an integer, not {JinjaValues.TypeName(other)}"),
    };

    public bool Bool(int index, string name, bool fallback = false) => Has(index, name) ? JinjaValues.Truthy(Get(index, name)) : fallback;

    public JinjaException Error(string message) => new($"{function}: {message}", line);
}
