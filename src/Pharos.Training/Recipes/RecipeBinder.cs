// Reads a YAML recipe into Recipe: applies `--set a.b=c` overrides to the YAML tree, then binds snake_case keys to
// properties; an unknown key or a value of the wrong kind is an error naming the full key.
using System.Collections;
using System.Globalization;
using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pharos.Training.Recipes;

public static class RecipeBinder
{
    public static Recipe Load(string path, IEnumerable<string>? overrides = null)
    {
        if (!File.Exists(path)) throw new Pharos.Models.Errors.PharosException($"{path}: recipe file does not exist");
        return Parse(File.ReadAllText(path), overrides, path);
    }

    public static Recipe Parse(string yaml, IEnumerable<string>? overrides = null, string source = "recipe")
    {
        var recipe = Parse<Recipe>(yaml, overrides, source);
        RecipeValidator.Validate(recipe);
        return recipe;
    }

    /// <summary>Any settings class with snake_case keys (recipes, the quickstart plan).</summary>
    public static T Parse<T>(string yaml, IEnumerable<string>? overrides = null, string source = "recipe") where T : class, new()
    {
        var tree = ReadYaml(yaml, source) as Dictionary<string, object?> ?? new Dictionary<string, object?>();
        foreach (var o in overrides ?? []) Apply(tree, o);
        return (T)Bind(typeof(T), tree, "")!;
    }

    /// <summary>`a.b.c=value`: the value is read as YAML, so `[q_proj, v_proj]` is a list and `3e-4` a number.</summary>
    public static void Apply(Dictionary<string, object?> tree, string assignment)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new RecipeException(assignment, "an override must look like key.path=value");
        var keys = assignment[..eq].Trim().Split('.');
        var value = ReadYaml(assignment[(eq + 1)..], "--set " + assignment[..eq]);
        var node = tree;
        for (int i = 0; i < keys.Length - 1; i++)
        {
            if (!node.TryGetValue(keys[i], out var child) || child is not Dictionary<string, object?> map)
                node[keys[i]] = map = new Dictionary<string, object?>();
            node = map;
        }
        node[keys[^1]] = value;
    }

    static object? ReadYaml(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new RecipeException(source, $"invalid YAML at line {e.Start.Line}: {e.Message}");
        }
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value ?? "", kv => Convert(kv.Value), StringComparer.Ordinal),
        YamlSequenceNode s => s.Children.Select(Convert).ToList(),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "~" or "null" or "" } => null,
        YamlScalarNode sc => sc.Value,
        _ => null,
    };

    static object? Bind(Type type, object? value, string key)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (value is null)
            return target.IsValueType && Nullable.GetUnderlyingType(type) is null ? throw new RecipeException(key, "needs a value") : null;
        if (target == typeof(string)) return value as string ?? throw new RecipeException(key, "expected a single value, not a list or a mapping");
        if (target == typeof(int)) return int.TryParse(Scalar(value, key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw Kind(key, value, "an integer");
        if (target == typeof(long)) return long.TryParse(Scalar(value, key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : throw Kind(key, value, "an integer");
        if (target == typeof(double)) return double.TryParse(Scalar(value, key), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw Kind(key, value, "a number");
        if (target == typeof(bool))
            return Scalar(value, key).ToLowerInvariant() switch { "true" or "yes" or "on" => true, "false" or "no" or "off" => false, _ => throw Kind(key, value, "true or false") };
        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(List<>))
        {
            var element = target.GetGenericArguments()[0];
            var items = value as List<object?> ?? (value is string s && element == typeof(string)
                ? s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Cast<object?>().ToList()
                : throw new RecipeException(key, "expected a list"));
            var list = (IList)Activator.CreateInstance(target)!;
            for (int n = 0; n < items.Count; n++) list.Add(Bind(element, items[n], $"{key}[{n}]"));
            return list;
        }
        if (value is not Dictionary<string, object?> map) throw new RecipeException(key, "expected a mapping of keys");
        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(Dictionary<,>) && target.GetGenericArguments()[0] == typeof(string))
        {
            // Free-form keys (sparselora.layers.N): every value binds to the same type.
            var dict = (IDictionary)Activator.CreateInstance(target)!;
            foreach (var (name, child) in map) dict[name] = Bind(target.GetGenericArguments()[1], child, key + "." + name);
            return dict;
        }
        var instance = Activator.CreateInstance(target)!;
        var properties = target.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)
            .ToDictionary(p => SnakeCase(p.Name), StringComparer.Ordinal);
        foreach (var (name, child) in map)
        {
            var childKey = key.Length == 0 ? name : key + "." + name;
            if (!properties.TryGetValue(name, out var property))
                throw new RecipeException(childKey, $"unknown key (known here: {string.Join(", ", properties.Keys)})");
            property.SetValue(instance, Bind(property.PropertyType, child, childKey));
        }
        return instance;
    }

    static string Scalar(object value, string key) => value as string ?? throw new RecipeException(key, "expected a single value");

    static RecipeException Kind(string key, object value, string expected) => new(key, $"'{value}' is not {expected}");

    public static string SnakeCase(string pascal)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(pascal[i]));
        }
        return sb.ToString();
    }
}
